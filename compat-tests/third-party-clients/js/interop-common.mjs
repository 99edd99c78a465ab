// Shared harness for the third-party WAMP client interop scripts
// (autobahn-interop.mjs, wampy-interop.mjs).
//
// Contract with whoever runs the scripts (the Tollgate build):
//   * stdout carries exactly one line, the final JSON verdict:
//       {"client":"autobahn","serializer":"json","ok":true,"checks":N}       exit 0
//       {"client":"...","serializer":"...","ok":false,"failure":"..."}     exit 1
//   * everything else (library logs, debug output) goes to stderr.
//   * a global timeout (20 s) turns into a failure verdict naming the step
//     that was pending.

import { randomBytes } from 'node:crypto';
import { writeSync } from 'node:fs';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';

export const SERIALIZERS = ['json', 'msgpack', 'cbor'];
export const GLOBAL_TIMEOUT_MS = 20_000;

// WAMP message type codes used by the taps.
export const WAMP_GOODBYE = 6;

// GOODBYE reasons a router may answer our GOODBYE with. The current WAMP
// spec says wamp.close.goodbye_and_out; wamp.error.goodbye_and_out is the
// older spelling that autobahn itself still sends in reply.
export const GOODBYE_REPLY_REASONS = ['wamp.close.goodbye_and_out', 'wamp.error.goodbye_and_out'];

// Keep stdout for the single verdict line: library logging that goes through
// console.log/info/debug is sent to stderr instead.
console.log = console.error;
console.info = console.error;
console.debug = console.error;

/** Thrown to abort the run after a verdict has been printed. */
class Finished extends Error {}

export class Harness {
  constructor(client) {
    this.client = client;
    this.serializer = null;
    this.checks = 0;
    this.stage = 'starting';
    this.done = false;
    this.options = null;

    this.timer = setTimeout(() => {
      this.fail(`global timeout of ${GLOBAL_TIMEOUT_MS / 1000} s while: ${this.stage}`);
    }, GLOBAL_TIMEOUT_MS);

    process.on('unhandledRejection', (reason) => {
      if (reason instanceof Finished) return;
      this.fail(`unhandled rejection while: ${this.stage}: ${describe(reason)}`);
    });
    process.on('uncaughtException', (err) => {
      if (err instanceof Finished) return;
      this.fail(`uncaught exception while: ${this.stage}: ${describe(err)}`);
    });
  }

  /** Parses --url, --realm, --serializer (and --debug). Fails the run on bad usage. */
  parseCommandLine(supportedSerializers = SERIALIZERS) {
    let values;
    try {
      ({ values } = parseArgs({
        options: {
          url: { type: 'string' },
          realm: { type: 'string' },
          serializer: { type: 'string' },
          debug: { type: 'boolean', default: false },
        },
        strict: true,
        allowPositionals: false,
      }));
    } catch (e) {
      this.fail(`usage: node <script> --url ws://127.0.0.1:PORT/ws --realm REALM --serializer json|msgpack|cbor [--debug] (${e.message})`);
    }
    if (values.serializer) this.serializer = values.serializer;
    const missing = ['url', 'realm', 'serializer'].filter((k) => !values[k]);
    if (missing.length) {
      this.fail(`usage: missing --${missing.join(', --')}; expected --url ws://127.0.0.1:PORT/ws --realm REALM --serializer json|msgpack|cbor`);
    }
    if (!supportedSerializers.includes(values.serializer)) {
      this.fail(`usage: serializer "${values.serializer}" is not one of ${supportedSerializers.join('|')} for ${this.client}`);
    }
    if (!/^wss?:\/\//.test(values.url)) {
      this.fail(`usage: --url must be a ws:// or wss:// URL, got "${values.url}"`);
    }
    this.options = values;
    return values;
  }

  /** Records what the run is doing now (shown if the global timeout fires). */
  step(description) {
    this.stage = description;
    this.debug(`step: ${description}`);
  }

  debug(...args) {
    if (this.options?.debug) console.error(`[${this.client}-interop]`, ...args);
  }

  /**
   * One check: passes if `condition` is true, otherwise fails the whole run
   * with "<what>: expected <expected>, got <actual>". `expected` is a text
   * shown as is; `actual` is the value that came.
   */
  check(condition, what, expected, actual) {
    if (this.done) throw new Finished();
    if (!condition) {
      const expectedText = typeof expected === 'string' ? expected : describe(expected);
      this.fail(`${what}: expected ${expectedText}, got ${describe(actual)}`);
    }
    this.checks += 1;
    this.debug(`ok ${this.checks}: ${what}`);
  }

  /** Deep-equality check of WAMP payload values (see deepEqual). */
  checkDeepEqual(actual, expected, what) {
    this.check(deepEqual(actual, expected), what, describe(expected), actual);
  }

  /** Prints the failure verdict and exits 1. Never returns. */
  fail(message) {
    if (!this.done) {
      this.done = true;
      clearTimeout(this.timer);
      emit({ client: this.client, serializer: this.serializer, ok: false, failure: message });
      process.exit(1);
    }
    throw new Finished();
  }

  /** Prints the success verdict and exits 0. */
  succeed() {
    if (this.done) return;
    if (this.checks === 0) this.fail('no check was run');
    this.done = true;
    clearTimeout(this.timer);
    emit({ client: this.client, serializer: this.serializer, ok: true, checks: this.checks });
    process.exit(0);
  }
}

function emit(verdict) {
  // Synchronous write: the line must be out before process.exit().
  writeSync(1, `${JSON.stringify(verdict)}\n`);
}

/** Fresh, URI-safe (strict WAMP URI component) prefix for this run. */
export function uniquePrefix() {
  return `com.example.interop.r${randomBytes(6).toString('hex')}`;
}

/**
 * Equality of decoded WAMP payloads: arrays element-wise, dictionaries as
 * plain objects with the same string keys, scalars with ===. null and
 * undefined are different; a Map (e.g. a CBOR map with non-string keys) or a
 * Buffer never equals a dictionary/array.
 */
export function deepEqual(a, b) {
  if (a === b) return true;
  if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a) && Number.isNaN(b);
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => deepEqual(x, b[i]));
  }
  if (isDict(a) && isDict(b)) {
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b).sort();
    if (!deepEqual(ka, kb)) return false;
    return ka.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}

function isDict(x) {
  if (x === null || typeof x !== 'object') return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

/** Readable rendering of any value for failure messages. */
export function describe(value) {
  if (value === undefined) return 'undefined (absent)';
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  try {
    return JSON.stringify(value, (key, v) => {
      if (v === undefined) return '<undefined>';
      if (typeof v === 'bigint') return `<bigint ${v}>`;
      if (v instanceof Map) return { '<Map>': [...v.entries()] };
      if (v instanceof Uint8Array) return `<${v.length} bytes>`;
      if (v instanceof ArrayBuffer) return `<ArrayBuffer ${v.byteLength} bytes>`;
      if (v instanceof Error) return `${v.name}: ${v.message}`;
      return v;
    });
  } catch {
    return String(value);
  }
}

/**
 * A WebSocket class (the `ws` package, RFC 6455 client) that records what
 * happens on the wire for one WAMP session: the negotiated subprotocol, the
 * kind of every frame sent and received (text or binary) and the close event.
 * Both libraries are handed such a class, so the scripts can check that the
 * router spoke the requested serializer with the right frame type.
 */
export function tappedWebSocketClass(tap) {
  return class TappedWebSocket extends WebSocket {
    constructor(...args) {
      super(...args);
      tap.socket = this;
      tap.sent = { text: 0, binary: 0 };
      tap.received = { text: 0, binary: 0 };
      tap.close = null;
      tap.error = null;
      // Without an 'error' listener ws would throw on e.g. ECONNREFUSED;
      // the library then sees the close event and reports the failure.
      this.on('error', (err) => { tap.error = err; });
      this.on('message', (data, isBinary) => {
        tap.received[isBinary ? 'binary' : 'text'] += 1;
      });
      this.addEventListener('close', (ev) => {
        tap.close = { code: ev.code, reason: ev.reason, wasClean: ev.wasClean };
      });
    }

    send(data, ...rest) {
      // ws sends strings as text frames and Buffers/typed arrays as binary.
      tap.sent[typeof data === 'string' ? 'text' : 'binary'] += 1;
      return super.send(data, ...rest);
    }
  };
}

/**
 * Called by the scripts' serializer wrappers with every decoded WAMP message
 * received; remembers the router's GOODBYE. Returns the message unchanged.
 */
export function tapDecoded(tap, message) {
  if (Array.isArray(message) && message[0] === WAMP_GOODBYE) {
    tap.goodbye = message;
  }
  return message;
}

/** Transport-level checks for one session after it has joined. */
export function checkNegotiated(h, tap, name, serializer) {
  h.check(tap.socket?.protocol === `wamp.2.${serializer}`,
    `session ${name}: negotiated WebSocket subprotocol`,
    `wamp.2.${serializer}`, tap.socket?.protocol);
}

/** Transport-level checks for one session after it has left. */
export function checkLeftCleanly(h, tap, name, serializer) {
  h.check(Array.isArray(tap.goodbye) && GOODBYE_REPLY_REASONS.includes(tap.goodbye[2]),
    `session ${name}: router's GOODBYE reply to our GOODBYE`,
    `[6, {...}, "${GOODBYE_REPLY_REASONS.join('" or "')}"]`, tap.goodbye ?? 'no GOODBYE');
  h.check(tap.close?.wasClean === true,
    `session ${name}: WebSocket closed with a clean closing handshake`,
    'a close event with wasClean=true', tap.close ?? 'no close event');
  const wanted = serializer === 'json' ? 'text' : 'binary';
  const other = wanted === 'text' ? 'binary' : 'text';
  h.check(tap.sent?.[wanted] > 0 && tap.sent?.[other] === 0,
    `session ${name}: frames sent by the client for wamp.2.${serializer}`,
    `only ${wanted} frames`, tap.sent);
  h.check(tap.received?.[wanted] > 0 && tap.received?.[other] === 0,
    `session ${name}: frames received from the router for wamp.2.${serializer}`,
    `only ${wanted} frames`, tap.received);
}

// The payloads exchanged by both scripts.
export const PUBLISH_ARGS = [1, 'two', { three: 3 }, [4.5, true, null]];
export const PUBLISH_KWARGS = { k: 'v', n: 42 };
export const ECHO_ARGS = ['x'];
export const ECHO_KWARGS = { deep: { a: [1, 2] } };
export const FAIL_URI = 'com.example.error.failed';
export const FAIL_ARGS = ['bad', 7];
export const FAIL_KWARGS = { why: 'test' };
export const NO_SUCH_PROCEDURE = 'wamp.error.no_such_procedure';

/** A promise with its resolve function exposed. */
export function deferred() {
  let resolve;
  let reject;
  const promise = new Promise((res, rej) => { resolve = res; reject = rej; });
  return { promise, resolve, reject };
}
