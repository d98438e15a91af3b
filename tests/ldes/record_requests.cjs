// Preloaded into the npm ldes-client (NODE_OPTIONS=--require ...): appends the URL of every
// request the Node process makes (http, https, fetch) to the file named by RECORD_REQUESTS, so
// a test can see which hosts the client went to (tests/ldes/test_serving_host.py).
"use strict";
const fs = require("fs");
const http = require("http");
const https = require("https");

const out = process.env.RECORD_REQUESTS;
const record = (url) => fs.appendFileSync(out, `${url}\n`);

function urlOf(first, protocol) {
  if (typeof first === "string" || first instanceof URL) return String(first);
  if (first && typeof first === "object") {
    const port = first.port ? `:${first.port}` : "";
    return `${first.protocol || protocol}//${first.hostname || first.host}${port}${first.path || "/"}`;
  }
  return String(first);
}

for (const [module, protocol] of [[http, "http:"], [https, "https:"]]) {
  for (const name of ["request", "get"]) {
    const original = module[name];
    module[name] = function recorded(...args) {
      record(urlOf(args[0], protocol));
      return original.apply(this, args);
    };
  }
}

if (typeof globalThis.fetch === "function") {
  const original = globalThis.fetch;
  globalThis.fetch = function recorded(input, init) {
    record(typeof input === "string" ? input : (input && input.url) || String(input));
    return original.call(this, input, init);
  };
}
