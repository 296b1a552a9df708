// The conversation page: the newest message is at the bottom, so the page opens there, and
// follows new messages that polling brings (htmx swaps #thread) unless the reader scrolled up.
const thread = () => document.getElementById("thread");
const nearBottom = () =>
  window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 200;
const showNewest = () => {
  const list = document.querySelectorAll("#messages > li");
  if (list.length) list[list.length - 1].scrollIntoView({ block: "nearest", behavior: "instant" });
};
// On opening, the newest message with the box to answer it below (on a phone, one screen).
if (thread() && thread().dataset.hxGet && !window.location.hash) {
  const compose = document.getElementById("compose");
  if (compose) compose.scrollIntoView({ block: "end", behavior: "instant" });
  else showNewest();
}
let following = true;
document.addEventListener("htmx:beforeSwap", (event) => {
  if (event.detail.target && event.detail.target.id === "thread") following = nearBottom();
});
document.addEventListener("htmx:afterSettle", (event) => {
  if (following && event.detail.target && event.detail.target.id === "thread") showNewest();
});
