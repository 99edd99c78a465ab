#!/usr/bin/env node
// Interop check of a WAMP v2 router against wampy.js (npm `wampy`).
//
//   node wampy-interop.mjs --url ws://127.0.0.1:PORT/ws --realm realm1 --serializer json|msgpack|cbor
//
// Prints one JSON verdict line on stdout (see interop-common.mjs) and exits 0
// when every check passed, 1 otherwise.
//
// WebSocket implementation: in Node wampy has no WebSocket of its own and
// needs a constructor in the `ws` option (otherwise connect() throws
// NoWsOrUrlError). It is given the pinned `ws` package's class (wrapped by a
// tap that records the negotiated subprotocol and frame types).

import { Wampy, Errors } from 'wampy';
import { JsonSerializer } from 'wampy/JsonSerializer.js';
import { MsgpackSerializer } from 'wampy/MsgpackSerializer.js';
import { CborSerializer } from 'wampy/CborSerializer.js';
import {
  Harness, uniquePrefix, deferred, describe,
  tappedWebSocketClass, tapDecoded, checkNegotiated, checkLeftCleanly,
  PUBLISH_ARGS, PUBLISH_KWARGS, ECHO_ARGS, ECHO_KWARGS,
  FAIL_URI, FAIL_ARGS, FAIL_KWARGS, NO_SUCH_PROCEDURE,
} from './interop-common.mjs';

const h = new Harness('wampy');
const opts = h.parseCommandLine(['json', 'msgpack', 'cbor']);

const SERIALIZER_CLASSES = {
  json: JsonSerializer,
  msgpack: MsgpackSerializer,
  cbor: CborSerializer,
};

/** wampy's serializer for --serializer, wrapped so the tap sees decoded messages. */
function tappedSerializer(tap) {
  const inner = new SERIALIZER_CLASSES[opts.serializer]();
  return {
    protocol: inner.protocol, // wampy offers exactly "wamp.2." + protocol
    isBinary: inner.isBinary,
    encode: (data) => inner.encode(data),
    decode: (data) => tapDecoded(tap, inner.decode(data)),
  };
}

/** Opens one WAMP session; resolves once WELCOME has arrived. */
async function openSession(name) {
  const tap = { name };
  const closed = deferred();
  let isOpen = false;
  let leaving = false;

  const wampy = new Wampy(opts.url, {
    realm: opts.realm,
    ws: tappedWebSocketClass(tap),
    serializer: tappedSerializer(tap),
    autoReconnect: false,
    debug: Boolean(opts.debug),
    logger: (args) => console.error(`[wampy ${name}]`, ...args),
    onError: (err) => {
      // Before WELCOME the rejected connect() reports the problem; while
      // leaving, checkLeftCleanly does.
      if (isOpen && !leaving) {
        h.fail(`session ${name}: wampy reported an error while: ${h.stage}: ${describe(err)}`
          + `${err?.error ? ` (${describe(err.error)})` : ''}`);
      }
    },
    onClose: () => {
      if (leaving) {
        closed.resolve();
      } else if (isOpen) {
        h.fail(`session ${name} was closed unexpectedly while: ${h.stage}`
          + `${tap.close ? ` (WebSocket close ${describe(tap.close)})` : ''}`);
      }
    },
  });

  try {
    await wampy.connect();
  } catch (err) {
    h.fail(`session ${name} could not join realm "${opts.realm}" at ${opts.url} with wamp.2.${opts.serializer}: `
      + `${describe(err)}${err?.errorUri ? ` ${err.errorUri}` : ''}${tap.error ? ` (${tap.error.message})` : ''}`);
  }
  isOpen = true;

  return {
    name, tap, wampy,
    async leave() {
      leaving = true;
      // Sends GOODBYE; resolves when the WebSocket has closed (whether or not
      // the router answered with GOODBYE: checkLeftCleanly checks that).
      await wampy.disconnect();
      await closed.promise;
    },
  };
}

/** Runs `promise` expecting it to be rejected; returns the rejection value. */
async function expectRejection(promise, what) {
  let result;
  try {
    result = await promise;
  } catch (err) {
    return err;
  }
  return h.fail(`${what}: expected an ERROR reply, got a RESULT ${describe(result)}`);
}

const prefix = uniquePrefix();
const TOPIC = `${prefix}.topic`;
const ADD = `${prefix}.add`;
const ECHO = `${prefix}.echo_kwargs`;
const FAIL = `${prefix}.fail`;
const NOBODY = `${prefix}.nobody_registered_this`;

h.step('opening session A');
const A = await openSession('A');
checkNegotiated(h, A.tap, 'A', opts.serializer);
h.step('opening session B');
const B = await openSession('B');
checkNegotiated(h, B.tap, 'B', opts.serializer);
h.check(A.wampy.getSessionId() !== B.wampy.getSessionId(), 'sessions A and B have distinct session IDs',
  'two different IDs', [A.wampy.getSessionId(), B.wampy.getSessionId()]);

// --- PubSub -----------------------------------------------------------------
h.step(`A subscribing to ${TOPIC}`);
const events = [];
const firstEvent = deferred();
await A.wampy.subscribe(TOPIC, (event) => {
  events.push(event);
  firstEvent.resolve();
});

h.step(`B publishing to ${TOPIC} (wampy always sets acknowledge:true; waiting for PUBLISHED)`);
const published = await B.wampy.publish(TOPIC, { argsList: PUBLISH_ARGS, argsDict: PUBLISH_KWARGS });
// msgpackr decodes every uint64 as a BigInt, even below 2^53; the value is exact, so accept it as an ID.
const publicationId = typeof published?.publicationId === 'bigint' && published.publicationId <= 2n ** 53n
  ? Number(published.publicationId) : published?.publicationId;
h.check(Number.isSafeInteger(publicationId) && publicationId > 0,
  'PUBLISHED carries a publication ID', 'a positive integer ID', published);

h.step('waiting for the EVENT on A');
await firstEvent.promise;
h.checkDeepEqual(events[0].argsList, PUBLISH_ARGS, 'EVENT arguments received by A');
h.checkDeepEqual(events[0].argsDict, PUBLISH_KWARGS, 'EVENT keyword arguments received by A');

// --- RPC: registrations ---------------------------------------------------------
h.step(`A registering ${ADD}`);
await A.wampy.register(ADD, ({ argsList }) => ({ argsList: [argsList[0] + argsList[1]] }));
h.step(`A registering ${ECHO}`);
await A.wampy.register(ECHO, ({ argsList, argsDict }) => ({ argsList, argsDict }));
h.step(`A registering ${FAIL}`);
await A.wampy.register(FAIL, () => {
  // wampy turns a thrown object with error/argsList/argsDict into
  // ERROR(INVOCATION, ..., error, argsList, argsDict).
  const err = new Error('application failure');
  Object.assign(err, { error: FAIL_URI, argsList: FAIL_ARGS, argsDict: FAIL_KWARGS });
  throw err;
});

// --- RPC: calls -----------------------------------------------------------------
h.step(`B calling ${ADD} with [2, 3]`);
const sum = await B.wampy.call(ADD, [2, 3]);
h.checkDeepEqual(sum?.argsList, [5], `result arguments of ${ADD}(2, 3)`);

h.step(`B calling ${ECHO}`);
const echoed = await B.wampy.call(ECHO, { argsList: ECHO_ARGS, argsDict: ECHO_KWARGS });
h.checkDeepEqual(echoed?.argsList, ECHO_ARGS, `RESULT arguments of ${ECHO}`);
h.checkDeepEqual(echoed?.argsDict, ECHO_KWARGS, `RESULT keyword arguments of ${ECHO}`);

h.step(`B calling ${FAIL}`);
const appError = await expectRejection(B.wampy.call(FAIL), `call of ${FAIL}`);
h.check(appError instanceof Errors.CallError, `call of ${FAIL} rejected with a WAMP ERROR`,
  'a CallError', appError);
h.checkDeepEqual(appError.errorUri, FAIL_URI, `ERROR URI from ${FAIL}`);
h.checkDeepEqual(appError.argsList, FAIL_ARGS, `ERROR arguments from ${FAIL}`);
h.checkDeepEqual(appError.argsDict, FAIL_KWARGS, `ERROR keyword arguments from ${FAIL}`);

h.step(`B calling unregistered ${NOBODY}`);
const noProc = await expectRejection(B.wampy.call(NOBODY, [1]), `call of unregistered ${NOBODY}`);
h.check(noProc instanceof Errors.CallError && noProc.errorUri === NO_SUCH_PROCEDURE,
  `ERROR URI for a call of unregistered ${NOBODY}`, NO_SUCH_PROCEDURE, noProc?.errorUri ?? noProc);

// By now any duplicate delivery of the single publication would have arrived.
h.check(events.length === 1, 'number of EVENTs A received for one publication', 1, events.length);

// --- Leaving --------------------------------------------------------------------
for (const s of [B, A]) {
  h.step(`session ${s.name} leaving (GOODBYE, waiting for the router's GOODBYE and the WebSocket close)`);
  await s.leave();
  checkLeftCleanly(h, s.tap, s.name, opts.serializer);
}

h.succeed();
