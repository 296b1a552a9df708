FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY requirements/base.lock requirements/base.lock
RUN pip install --no-cache-dir -r requirements/base.lock
COPY . .
RUN DEBUG=false SECRET_KEY=build-only python manage.py collectstatic --noinput
RUN DEBUG=false SECRET_KEY=build-only python manage.py compile_catalogs
RUN useradd --create-home app && mkdir -p /app/var && chown -R app /app/var
USER app
EXPOSE 8000
# Every gunicorn setting is in deploy/gunicorn.conf.py; docker-compose.yml runs this same command.
CMD ["gunicorn", "mentoring.wsgi", "--config", "deploy/gunicorn.conf.py"]
