// Preload (node --require) for host-mode tests: point Xero's hostnames at a gateway on loopback, as an operator's
// DNS or hosts file would, without touching xero-node or the integrator's code. *.xero.com resolves to 127.0.0.1,
// and TLS connections to port 443 of those hosts go to XERO_GATEWAY_PORT instead (a test cannot bind 443 without
// root). Certificates are still verified against the hostname (SNI and checkServerIdentity use the Xero name),
// with the test CA trusted through NODE_EXTRA_CA_CERTS.
"use strict";
const dns = require("node:dns");
const tls = require("node:tls");

const port = Number(process.env.XERO_GATEWAY_PORT);
if (!port) throw new Error("xero_hosts.js: set XERO_GATEWAY_PORT");
const isXero = (host) => typeof host === "string" && /(^|\.)xero\.com\.?$/i.test(host);

function xeroLookup(hostname, options, callback) {
  if (typeof options === "function") [callback, options] = [options, {}];
  if (options && options.all) return process.nextTick(callback, null, [{ address: "127.0.0.1", family: 4 }]);
  return process.nextTick(callback, null, "127.0.0.1", 4);
}

const systemLookup = dns.lookup;
dns.lookup = function lookup(hostname, options, callback) {
  if (isXero(hostname)) return xeroLookup(hostname, options, callback);
  return systemLookup.call(this, hostname, options, callback);
};

const systemConnect = tls.connect;
tls.connect = function connect(...args) {
  const at = args.findIndex((a) => a !== null && typeof a === "object");
  const options = at >= 0 ? args[at] : null;
  if (options && isXero(options.host) && (options.port === undefined || Number(options.port) === 443)) {
    args[at] = { ...options, port, servername: options.servername || options.host, lookup: xeroLookup };
  }
  return systemConnect.apply(this, args);
};
