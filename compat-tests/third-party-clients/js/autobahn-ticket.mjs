#!/usr/bin/env node
// Oro ticket authentication with autobahn-js (npm `autobahn`), both ways:
//   1. the ticket in the URL (?ticket=…), as Oro's pages do;
//   2. the WAMP `ticket` authmethod: CHALLENGE answered by AUTHENTICATE with the ticket;
// and refusals: an expired ticket and a forged one (both ways), and the URL ticket of step 1 replayed.
//
//   node autobahn-ticket.mjs --url ws://127.0.0.1:PORT/ws --realm realm1 --authid john --authrole user \
//        --url-ticket T1 --method-ticket T2 --expired-ticket T3 --forged-ticket T4
//
// Prints one JSON verdict line on stdout: {"client":"autobahn-ticket","ok":true,"checks":N} (exit 0), or
// {"client":"autobahn-ticket","ok":false,"failure":"…"} (exit 1). Library logging goes to stderr.

import { parseArgs } from 'node:util';
import WebSocket from 'ws';

console.log = console.error;
console.info = console.error;
console.debug = console.error;
// A refused upgrade (HTTP 401) makes `ws` emit 'error'; a browser's WebSocket reports it as error + close events,
// which autobahn handles. Listening for 'error' gives Node the browser's behaviour instead of a crash.
globalThis.WebSocket = class extends WebSocket {
  constructor(...args) {
    super(...args);
    this.on('error', (e) => console.error('websocket error:', e.message));
  }
};
const { default: autobahn } = await import('autobahn');

let checks = 0;
function verdict(ok, failure) {
  process.stdout.write(JSON.stringify(ok ? { client: 'autobahn-ticket', ok, checks } : { client: 'autobahn-ticket', ok, failure }) + '\n');
  process.exit(ok ? 0 : 1);
}
function check(condition, what, got) {
  if (!condition) verdict(false, `${what}: got ${JSON.stringify(got)}`);
  checks++;
}
setTimeout(() => verdict(false, 'global timeout of 20 s'), 20_000).unref();

const { values: o } = parseArgs({
  options: {
    url: { type: 'string' }, realm: { type: 'string' }, authid: { type: 'string' }, authrole: { type: 'string' },
    'url-ticket': { type: 'string' }, 'method-ticket': { type: 'string' },
    'expired-ticket': { type: 'string' }, 'forged-ticket': { type: 'string' },
  },
});
for (const k of ['url', 'realm', 'authid', 'authrole', 'url-ticket', 'method-ticket', 'expired-ticket', 'forged-ticket']) {
  if (!o[k]) verdict(false, `usage: missing --${k}`);
}

/** Tries one session; resolves to {details} on join or {closed: reason, details} when it never opened. */
function attempt({ ticketInUrl, ticketAsSignature }) {
  return new Promise((resolve) => {
    const options = { url: o.url, realm: o.realm, max_retries: 0, retry_if_unreachable: false };
    if (ticketInUrl) options.url = `${o.url}?ticket=${encodeURIComponent(ticketInUrl)}`;
    if (ticketAsSignature) {
      options.authmethods = ['ticket'];
      options.authid = o.authid;
      options.onchallenge = (session, method) => {
        check(method === 'ticket', 'the router challenges with the ticket method', method);
        return ticketAsSignature;
      };
    }
    const connection = new autobahn.Connection(options);
    let joined = false;
    connection.onopen = (session, details) => {
      joined = true;
      const welcome = { authid: details.authid, authrole: details.authrole, authmethod: details.authmethod,
        authextra: details.authextra };
      connection.close();
      resolve({ details: welcome });
    };
    connection.onclose = (reason, details) => {
      if (!joined) resolve({ closed: reason, details });
      return true; // do not retry
    };
    connection.open();
  });
}

const byUrl = await attempt({ ticketInUrl: o['url-ticket'] });
check(byUrl.details && byUrl.details.authid === o.authid, 'URL ticket: WELCOME.authid', byUrl);
check(byUrl.details.authrole === o.authrole && byUrl.details.authmethod === 'ticket', 'URL ticket: authrole and authmethod', byUrl);
check(Number.isSafeInteger(byUrl.details.authextra?.user_id), 'URL ticket: authextra.user_id', byUrl);

const byMethod = await attempt({ ticketAsSignature: o['method-ticket'] });
check(byMethod.details && byMethod.details.authid === o.authid, 'ticket authmethod: WELCOME.authid', byMethod);
check(byMethod.details.authmethod === 'ticket', 'ticket authmethod: authmethod', byMethod);

for (const [name, ticket] of [['expired', o['expired-ticket']], ['forged', o['forged-ticket']]]) {
  const inUrl = await attempt({ ticketInUrl: ticket });
  check(inUrl.closed !== undefined && !inUrl.details?.authid, `${name} URL ticket is refused before a session opens`, inUrl);
  const asSignature = await attempt({ ticketAsSignature: ticket });
  check(asSignature.closed !== undefined && asSignature.details?.reason === 'wamp.error.authentication_failed',
    `${name} ticket as signature is aborted with wamp.error.authentication_failed`, asSignature);
}
const replayed = await attempt({ ticketInUrl: o['url-ticket'] });
check(replayed.closed !== undefined && !replayed.details?.authid, 'a replayed URL ticket is refused', replayed);

verdict(true);
