FROM python:3.11-slim

WORKDIR /app
COPY pyproject.toml README.md ./
COPY gateway ./gateway
COPY adapters ./adapters
COPY mappings ./mappings
COPY config ./config
RUN pip install --no-cache-dir -e . \
 && useradd --system --home /data gateway \
 && mkdir -p /data && chown gateway /data

USER gateway
VOLUME /data
EXPOSE 8080
# Bind every interface inside the container; publish the port to choose who reaches it.
CMD ["xero-gateway", "serve", "--host", "0.0.0.0", "--port", "8080", "--data-dir", "/data"]
