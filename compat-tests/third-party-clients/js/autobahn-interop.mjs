#!/usr/bin/env node
// Interop check of a WAMP v2 router against autobahn-js (npm `autobahn`).
//
//   node autobahn-interop.mjs --url ws://127.0.0.1:PORT/ws --realm realm1 --serializer json|msgpack|cbor
//
// Prints one JSON verdict line on stdout (see interop-common.mjs) and exits 0
// when every check passed, 1 otherwise.
//
// WebSocket implementation: autobahn 26.x creates its socket with the global
// `WebSocket` constructor (it no longer loads the `ws` package itself). Node 20
// has no global WebSocket without --experimental-websocket, so this script
// installs the pinned `ws` package's class as globalThis.WebSocket, on every
// Node version, so that the same RFC 6455 client is used everywhere.

import {
  Harness, uniquePrefix, deferred, describe,
  tappedWebSocketClass, tapDecoded, checkNegotiated, checkLeftCleanly,
  PUBLISH_ARGS, PUBLISH_KWARGS, ECHO_ARGS, ECHO_KWARGS,
  FAIL_URI, FAIL_ARGS, FAIL_KWARGS, NO_SUCH_PROCEDURE,
} from './interop-common.mjs';

const h = new Harness('autobahn');
const opts = h.parseCommandLine(['json', 'msgpack', 'cbor']);
if (opts.debug) process.env.AUTOBAHN_DEBUG = '1'; // read by autobahn when it loads
const { default: autobahn } = await import('autobahn');

const SERIALIZER_CLASSES = {
  json: autobahn.serializer.JSONSerializer,
  msgpack: autobahn.serializer.MsgpackSerializer,
  cbor: autobahn.serializer.CBORSerializer,
};

/** autobahn's serializer for --serializer, wrapped so the tap sees decoded messages. */
function tappedSerializer(tap) {
  const Cls = SERIALIZER_CLASSES[opts.serializer];
  if (typeof Cls !== 'function') h.fail(`autobahn ${autobahn.version} has no ${opts.serializer} serializer`);
  const inner = new Cls();
  return {
    SERIALIZER_ID: inner.SERIALIZER_ID,
    BINARY: inner.BINARY,
    serialize: (obj) => inner.serialize(obj),
    unserialize: (payload) => tapDecoded(tap, inner.unserialize(payload)),
  };
}

/** Opens one WAMP session; resolves once WELCOME has arrived. */
function openSession(name) {
  const tap = { name };
  const opened = deferred();
  const closed = deferred();
  let isOpen = false;
  let leaving = false;

  const connection = new autobahn.Connection({
    url: opts.url,
    realm: opts.realm,
    serializers: [tappedSerializer(tap)], // offers exactly wamp.2.<serializer>
    max_retries: 0,
    retry_if_unreachable: false,
    on_user_error: (err, msg) => {
      // Our "fail" endpoint raises on purpose; anything else is a bug.
      if (err instanceof autobahn.Error && err.error === FAIL_URI) return;
      h.fail(`session ${name}: error in application code: ${msg || ''} ${describe(err)}`);
    },
    on_internal_error: (err, msg) => {
      h.fail(`session ${name}: autobahn internal error: ${msg || ''} ${describe(err)}`);
    },
  });

  connection.onopen = (session, details) => {
    isOpen = true;
    opened.resolve({ session, details });
  };
  connection.onclose = (reason, details) => {
    if (!isOpen) {
      h.fail(`session ${name} could not join realm "${opts.realm}" at ${opts.url} with wamp.2.${opts.serializer}: `
        + `${reason} ${describe(details)}${tap.error ? ` (${tap.error.message})` : ''}`);
    } else if (!leaving) {
      h.fail(`session ${name} was closed unexpectedly while: ${h.stage}: ${reason} ${describe(details)}`);
    } else {
      closed.resolve({ reason, details });
    }
    return true; // never auto-reconnect
  };

  // The transport (and so the WebSocket) is created synchronously in open(),
  // with `new WebSocket(url, protocols)` on the global. defineProperty also
  // replaces Node 22+'s built-in global (an accessor property).
  Object.defineProperty(globalThis, 'WebSocket', {
    value: tappedWebSocketClass(tap), writable: true, configurable: true,
  });
  connection.open();

  return opened.promise.then(({ session, details }) => ({
    name, tap, session, details,
    leave() {
      leaving = true;
      connection.close(); // sends GOODBYE(wamp.close.normal), waits for the reply
      return closed.promise;
    },
    /** The router is about to end this session (a kill): resolves with autobahn's view of the close. */
    expectClose() {
      leaving = true;
      return closed.promise;
    },
  }));
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
h.check(A.session.id !== B.session.id, 'sessions A and B have distinct session IDs',
  'two different IDs', [A.session.id, B.session.id]);

// --- PubSub -----------------------------------------------------------------
h.step(`A subscribing to ${TOPIC}`);
const events = [];
const firstEvent = deferred();
await A.session.subscribe(TOPIC, (args, kwargs, details) => {
  events.push({ args, kwargs, details });
  firstEvent.resolve();
});

h.step(`B publishing to ${TOPIC} with acknowledge:true (waiting for PUBLISHED)`);
const publication = await B.session.publish(TOPIC, PUBLISH_ARGS, PUBLISH_KWARGS, { acknowledge: true });
h.check(publication instanceof autobahn.Publication && Number.isSafeInteger(publication.id) && publication.id > 0,
  'PUBLISHED carries a publication ID', 'a positive integer ID', publication?.id ?? publication);

h.step('waiting for the EVENT on A');
await firstEvent.promise;
h.checkDeepEqual(events[0].args, PUBLISH_ARGS, 'EVENT arguments received by A');
h.checkDeepEqual(events[0].kwargs, PUBLISH_KWARGS, 'EVENT keyword arguments received by A');

// --- RPC: registrations ---------------------------------------------------------
h.step(`A registering ${ADD}`);
await A.session.register(ADD, (args) => args[0] + args[1]);
h.step(`A registering ${ECHO}`);
await A.session.register(ECHO, (args, kwargs) => new autobahn.Result(args, kwargs));
h.step(`A registering ${FAIL}`);
await A.session.register(FAIL, () => {
  throw new autobahn.Error(FAIL_URI, FAIL_ARGS, FAIL_KWARGS);
});

// --- RPC: calls -----------------------------------------------------------------
h.step(`B calling ${ADD} with [2, 3]`);
const sum = await B.session.call(ADD, [2, 3]);
h.checkDeepEqual(sum, 5, `result of ${ADD}(2, 3)`);

h.step(`B calling ${ECHO}`);
const echoed = await B.session.call(ECHO, ECHO_ARGS, ECHO_KWARGS);
h.check(echoed instanceof autobahn.Result, `result of ${ECHO} is a multi-result (args + kwargs)`,
  'a RESULT with arguments and keyword arguments', echoed);
h.checkDeepEqual(echoed.args, ECHO_ARGS, `RESULT arguments of ${ECHO}`);
h.checkDeepEqual(echoed.kwargs, ECHO_KWARGS, `RESULT keyword arguments of ${ECHO}`);

h.step(`B calling ${FAIL}`);
const appError = await expectRejection(B.session.call(FAIL), `call of ${FAIL}`);
h.check(appError instanceof autobahn.Error, `call of ${FAIL} rejected with a WAMP ERROR`,
  'an autobahn.Error', appError);
h.checkDeepEqual(appError.error, FAIL_URI, `ERROR URI from ${FAIL}`);
h.checkDeepEqual(appError.args, FAIL_ARGS, `ERROR arguments from ${FAIL}`);
h.checkDeepEqual(appError.kwargs, FAIL_KWARGS, `ERROR keyword arguments from ${FAIL}`);

h.step(`B calling unregistered ${NOBODY}`);
const noProc = await expectRejection(B.session.call(NOBODY, [1]), `call of unregistered ${NOBODY}`);
h.check(noProc instanceof autobahn.Error && noProc.error === NO_SUCH_PROCEDURE,
  `ERROR URI for a call of unregistered ${NOBODY}`, NO_SUCH_PROCEDURE, noProc?.error ?? noProc);

// --- RPC: a shared registration (round robin) -------------------------------------
const SHARED = `${prefix}.shared`;
h.step(`A and B registering ${SHARED} with invoke: roundrobin`);
const sharedA = await A.session.register(SHARED, () => 'A', { invoke: 'roundrobin' });
const sharedB = await B.session.register(SHARED, () => 'B', { invoke: 'roundrobin' });
h.checkDeepEqual(sharedB.id, sharedA.id, `both callees of ${SHARED} share one registration ID`);
h.step(`A calling ${SHARED} four times`);
const answers = [];
for (let i = 0; i < 4; i++) answers.push(await A.session.call(SHARED));
h.check(answers[0] !== answers[1] && answers[0] === answers[2] && answers[1] === answers[3],
  `calls of ${SHARED} alternate between its two callees`, 'A and B in turn', answers);
h.step(`B registering ${SHARED} again with invoke: random`);
const otherPolicy = await expectRejection(B.session.register(SHARED, () => 'B', { invoke: 'random' }),
  `registration of ${SHARED} with another policy`);
h.checkDeepEqual(otherPolicy?.error, 'wamp.error.procedure_exists_with_different_invocation_policy',
  `ERROR URI for registering ${SHARED} with another invocation policy`);
await A.session.unregister(sharedA);
await B.session.unregister(sharedB);

// --- Advanced Profile: pattern-based subscriptions and registrations ------------
const features = (role) => A.details?.roles?.[role]?.features ?? {};
h.check(features('broker').pattern_based_subscription === true, 'WELCOME announces pattern_based_subscription',
  true, features('broker'));
h.check(features('dealer').pattern_based_registration === true, 'WELCOME announces pattern_based_registration',
  true, features('dealer'));

const PATTERN_TOPIC = `${prefix}.pattern.news`;
h.step(`A subscribing to ${prefix}.pattern. (match: prefix) and ${prefix}..news (match: wildcard)`);
const patternEvents = [];
const bothPatterns = deferred();
const onPattern = (name) => (args, kwargs, details) => {
  patternEvents.push({ name, args, topic: details.topic });
  if (patternEvents.length === 2) bothPatterns.resolve();
};
const prefixSub = await A.session.subscribe(`${prefix}.pattern.`, onPattern('prefix'), { match: 'prefix' });
const wildcardSub = await A.session.subscribe(`${prefix}..news`, onPattern('wildcard'), { match: 'wildcard' });
h.check(prefixSub.id !== wildcardSub.id, 'the prefix and the wildcard subscription have their own IDs',
  'two IDs', [prefixSub.id, wildcardSub.id]);
h.step(`B publishing to ${PATTERN_TOPIC}, which both patterns match, and to ${prefix}.elsewhere, which neither does`);
await B.session.publish(`${prefix}.elsewhere`, ['none'], {}, { acknowledge: true });
await B.session.publish(PATTERN_TOPIC, ['both'], {}, { acknowledge: true });
await bothPatterns.promise;
h.checkDeepEqual(patternEvents.map((e) => e.name).sort(), ['prefix', 'wildcard'],
  'one EVENT per matching pattern subscription');
h.checkDeepEqual(patternEvents.map((e) => e.topic), [PATTERN_TOPIC, PATTERN_TOPIC],
  'EVENT details.topic names the topic published to');
h.checkDeepEqual(patternEvents.map((e) => e.args[0]), ['both', 'both'], 'only the matching publication arrived');
await A.session.unsubscribe(prefixSub);
await A.session.unsubscribe(wildcardSub);

h.step(`A registering ${prefix}.rpc. (match: prefix) and ${prefix}.rpc.exact (exact)`);
const prefixReg = await A.session.register(`${prefix}.rpc.`, (args, kwargs, details) => details.procedure,
  { match: 'prefix' });
const exactReg = await A.session.register(`${prefix}.rpc.exact`, () => 'exact');
h.checkDeepEqual(await B.session.call(`${prefix}.rpc.exact`), 'exact', 'an exact registration wins over a prefix');
h.checkDeepEqual(await B.session.call(`${prefix}.rpc.any.thing`), `${prefix}.rpc.any.thing`,
  'a prefix registration serves the rest and learns the procedure from details.procedure');
await A.session.unregister(prefixReg);
await A.session.unregister(exactReg);
h.checkDeepEqual(patternEvents.length, 2, 'no further EVENT reached the pattern subscriptions');

// --- Advanced Profile: progressive call results, call timeout, call canceling ---
for (const feature of ['progressive_call_results', 'call_timeout', 'call_canceling']) {
  h.check(features('dealer')[feature] === true, `WELCOME announces ${feature}`, true, features('dealer'));
}
const PROGRESS = `${prefix}.progress`;
h.step(`A registering ${PROGRESS}, which sends two progressive results before its result`);
const progressReg = await A.session.register(PROGRESS, (args, kwargs, details) => {
  if (details.progress) {
    details.progress([1]);
    details.progress([2]);
  }
  return 3;
});
h.step(`B calling ${PROGRESS} with receive_progress: true`);
const partials = [];
const streamed = await B.session.call(PROGRESS, [], {}, { receive_progress: true })
  .then((r) => r, (e) => { throw e; }, (p) => partials.push(p));
h.checkDeepEqual(partials, [1, 2], 'progressive RESULTs arrive in order before the final one');
h.checkDeepEqual(streamed, 3, `final result of ${PROGRESS}`);
const unasked = [];
const plain = await B.session.call(PROGRESS).then((r) => r, (e) => { throw e; }, (p) => unasked.push(p));
h.checkDeepEqual([unasked, plain], [[], 3], 'a caller that did not ask for progress gets only the result');

const STUCK = `${prefix}.stuck`;
h.step(`A registering ${STUCK}, which never answers; B calling it with timeout: 200`);
const stuckReg = await A.session.register(STUCK, () => new Promise(() => {}));
const timedOut = await expectRejection(B.session.call(STUCK, [], {}, { timeout: 200 }), `call of ${STUCK}`);
h.checkDeepEqual(timedOut?.error, 'wamp.error.timeout', 'the router ends a call past its timeout');
h.step(`B calling ${STUCK} and canceling the call (mode kill, so that autobahn waits for the router's answer)`);
const pending = B.session.call(STUCK);
pending.cancel({ mode: 'kill' });
const canceled = await expectRejection(pending, `canceled call of ${STUCK}`);
h.checkDeepEqual(canceled?.error, 'wamp.error.canceled',
  'a callee that cannot be interrupted: the call is canceled at once (mode skip, as the spec says)');
await A.session.unregister(progressReg);
await A.session.unregister(stuckReg);

// --- Advanced Profile: the session meta API --------------------------------------
h.check(features('broker').session_meta_api === true && features('dealer').session_meta_api === true,
  'WELCOME announces session_meta_api for broker and dealer', true, [features('broker'), features('dealer')]);
h.step('B asking for the realm\'s sessions');
const sessionIds = await B.session.call('wamp.session.list');
h.check(Array.isArray(sessionIds) && sessionIds.includes(A.session.id) && sessionIds.includes(B.session.id),
  'wamp.session.list names A and B', [A.session.id, B.session.id], sessionIds);
h.check(await B.session.call('wamp.session.count') === sessionIds.length, 'wamp.session.count agrees with the list',
  sessionIds.length, 'another count');
const aInfo = await B.session.call('wamp.session.get', [A.session.id]);
h.checkDeepEqual([aInfo?.session, aInfo?.authrole], [A.session.id, A.details.authrole], 'wamp.session.get of A');
const noSession = await expectRejection(B.session.call('wamp.session.get', [1]), 'wamp.session.get of no session');
h.checkDeepEqual(noSession?.error, 'wamp.error.no_such_session', 'ERROR URI for an unknown session');

h.step('B watching joins and leaves; session C joining, then killed by B');
const metaEvents = [];
const cLeft = deferred();
await B.session.subscribe('wamp.session.on_join', (args) => metaEvents.push(['join', args[0].session]));
await B.session.subscribe('wamp.session.on_leave', (args) => {
  metaEvents.push(['leave', args[0]]);
  cLeft.resolve();
});
const C = await openSession('C');
const cId = C.session.id; // autobahn forgets it once the session is closed
const cClosed = C.expectClose();
await B.session.call('wamp.session.kill', [cId], { reason: 'com.example.interop.bye', message: 'go' });
const { details: cClose } = await cClosed;
h.checkDeepEqual(cClose?.reason, 'com.example.interop.bye', 'the killed session is told the reason given');
await cLeft.promise;
h.checkDeepEqual(metaEvents, [['join', cId], ['leave', cId]],
  'wamp.session.on_join and on_leave for C, in order');

// --- Advanced Profile: the subscription and registration meta API ---------------
h.check(features('broker').subscription_meta_api === true && features('dealer').registration_meta_api === true,
  'WELCOME announces subscription_meta_api and registration_meta_api', true, [features('broker'), features('dealer')]);
const META_TOPIC = `${prefix}.meta.topic`;
h.step(`B watching wamp.subscription.on_create; A subscribing to ${META_TOPIC}`);
const createdEvents = [];
const metaCreated = deferred();
await B.session.subscribe('wamp.subscription.on_create', (args) => {
  if (args[1]?.uri === META_TOPIC) {
    createdEvents.push(args);
    metaCreated.resolve();
  }
});
const metaSub = await A.session.subscribe(META_TOPIC, () => {});
await metaCreated.promise;
h.checkDeepEqual([createdEvents[0][0], createdEvents[0][1].id, createdEvents[0][1].match],
  [A.session.id, metaSub.id, 'exact'], 'wamp.subscription.on_create names the session and the new subscription');
h.checkDeepEqual(await B.session.call('wamp.subscription.lookup', [META_TOPIC]), metaSub.id,
  'wamp.subscription.lookup finds the subscription of a topic');
h.checkDeepEqual(await B.session.call('wamp.subscription.list_subscribers', [metaSub.id]), [A.session.id],
  'wamp.subscription.list_subscribers');
await A.session.unsubscribe(metaSub);
const META_PROC = `${prefix}.meta.proc`;
const metaReg = await A.session.register(META_PROC, () => 1);
h.checkDeepEqual(await B.session.call('wamp.registration.match', [META_PROC]), metaReg.id,
  'wamp.registration.match names the registration a call reaches');
h.checkDeepEqual(await B.session.call('wamp.registration.count_callees', [metaReg.id]), 1,
  'wamp.registration.count_callees');
await A.session.unregister(metaReg);

// --- Advanced Profile: event retention ------------------------------------------------
h.check(features('broker').event_retention === true, 'WELCOME announces event_retention', true, features('broker'));
const RETAINED = `${prefix}.retained`;
h.step(`B publishing to ${RETAINED} with retain: true, then A subscribing with get_retained: true`);
await B.session.publish(RETAINED, ['kept'], {}, { retain: true, acknowledge: true });
const retainedEvent = deferred();
const retainedSub = await A.session.subscribe(RETAINED,
  (args, kwargs, details) => retainedEvent.resolve({ args, retained: details.retained }), { get_retained: true });
h.checkDeepEqual(await retainedEvent.promise, { args: ['kept'], retained: true },
  'a late subscriber that asks gets the retained event, marked retained');
await A.session.unsubscribe(retainedSub);

// --- Advanced Profile: testaments -----------------------------------------------------
h.check(features('dealer').testament_meta_api === true, 'WELCOME announces testament_meta_api', true,
  features('dealer'));
const TESTAMENT = `${prefix}.testament`;
h.step(`session D leaving a testament on ${TESTAMENT}, then leaving; B watching`);
const testamentEvent = deferred();
const testamentSub = await B.session.subscribe(TESTAMENT, (args, kwargs) => testamentEvent.resolve({ args, kwargs }));
const D = await openSession('D');
await D.session.call('wamp.session.add_testament', [TESTAMENT, ['gone'], { who: 'D' }]);
await D.leave();
h.checkDeepEqual(await testamentEvent.promise, { args: ['gone'], kwargs: { who: 'D' } },
  'the testament is published when its session ends');
await B.session.unsubscribe(testamentSub);

// By now any duplicate delivery of the single publication would have arrived.
h.check(events.length === 1, 'number of EVENTs A received for one publication', 1, events.length);

// --- Leaving --------------------------------------------------------------------
for (const s of [B, A]) {
  h.step(`session ${s.name} leaving (GOODBYE, waiting for the router's GOODBYE and the WebSocket close)`);
  const { reason, details } = await s.leave();
  checkLeftCleanly(h, s.tap, s.name, opts.serializer);
  h.check(reason === 'closed', `session ${s.name}: autobahn's view of the close after GOODBYE`,
    'reason "closed"', { reason, details });
}

h.succeed();
