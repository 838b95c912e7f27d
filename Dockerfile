# The checker as a container: the same program the tests run (checker scan / demo server).
FROM python:3.11-slim-bookworm
WORKDIR /app
COPY pyproject.toml README.md ./
COPY checker ./checker
COPY rules ./rules
COPY sites ./sites
RUN pip install --no-cache-dir -e .
ENV PYTHONUNBUFFERED=1
ENTRYPOINT ["checker"]
