// The page's own script: Oro's synchronizer subscribed to a channel, and what an application's script can do to
// tell a refused ticket from a router that is down. Everything it sees goes to the test as a report (POST /report,
// {"step": …}); the test drives it with commands (GET /command, long-polled).
(function () {
  'use strict';

  const params = new URLSearchParams(location.search);
  const router = params.get('router'); // host:port of the Tollgate under test, another origin than this page's

  // One report at a time, so that the test reads them in the order they happened.
  let reported = Promise.resolve();
  function report(step, data) {
    const body = JSON.stringify(Object.assign({step}, data));
    reported = reported.then(() => fetch('/report', {method: 'POST', body}));
    return reported;
  }

  window.addEventListener('error', (e) => report('page-error', {message: String(e.message)}));
  window.addEventListener('unhandledrejection', (e) => report('page-error', {message: String(e.reason)}));

  // How a page using AutobahnJS (here through GosSocket, with Oro's maxRetries 0) tells the cases apart: a refused
  // ticket opens the socket and loses it before any WELCOME ("Connection lost."); a router that is down never opens
  // it ("Connection could not be established.").
  function verdictOf(code, welcomed) {
    if (welcomed) {
      return 'accepted';
    }
    if (code === ab.CONNECTION_UNREACHABLE) {
      return 'down';
    }
    return code === ab.CONNECTION_RETRIES_EXCEEDED || code === ab.CONNECTION_LOST ? 'refused' : 'other';
  }

  function probeWithGosSocket(wsuri) {
    return new Promise((resolve) => {
      let welcomed = false;
      const socket = GosSocket.connect(wsuri, {maxRetries: 0});
      socket.on('socket/connect', (session) => {
        welcomed = true;
        session.close();
      });
      socket.on('socket/disconnect', ({code, reason}) => resolve({code, reason, verdict: verdictOf(code, welcomed)}));
    });
  }

  // Why it was refused: a script holding the socket itself reads Tollgate's one text frame, a JSON object
  // {error, message, status} (AutobahnJS ignores it).
  function probeWithWebSocket(wsuri) {
    return new Promise((resolve) => {
      const ws = new WebSocket(wsuri, ['wamp']);
      let opened = false;
      let first = null;
      ws.onopen = () => {
        opened = true;
      };
      ws.onmessage = (e) => {
        if (first === null) {
          first = e.data;
        }
      };
      ws.onclose = (e) => {
        let refusal = null;
        try {
          const message = JSON.parse(first);
          if (message && !Array.isArray(message) && message.error) {
            refusal = message;
          }
        } catch (notJson) {
          // no frame, or a WAMP message
        }
        resolve({opened, closeCode: e.code, wasClean: e.wasClean, refusal,
          verdict: refusal ? 'refused' : opened ? 'other' : 'down'});
      };
    });
  }

  const [host, port] = router.split(':');
  const wamp = new OroWamp({
    host, port, path: 'ws',
    syncTicketUrl: 'http://' + router + '/sync/ticket',
    ticketHeaders: {Authorization: 'Basic ' + btoa(params.get('user') + ':' + params.get('password'))},
  });
  wamp.on('ticket', ({spoiled}) => report('ticket', {spoiled}));
  wamp.on('hangup', ({code, msg}) => report('hangup', {code, message: msg}));
  wamp.on('connection_established', (session) => {
    // Oro's channels are full URIs; this page declares a CURIE prefix, which the wrapper's re-subscription then uses.
    session.prefix('oro', 'oro/');
    report('connected', {session: session.sessionid()});
  });
  wamp.subscribe('oro:data/update', (event) => report('event', {event}));

  const commands = {
    call: async ({procedure, argument}) => {
      try {
        return {step: 'call-result', result: await wamp.session.call(procedure, argument)};
      } catch (error) {
        return {step: 'call-error', error: error instanceof Error ? String(error) : error};
      }
    },
    diagnose: async ({ticket}) => {
      const used = ticket === 'first' ? wamp.tickets[0] : ticket;
      const wsuri = 'ws://' + router + '/ws?ticket=' + encodeURIComponent(used);
      const [gos, websocket] = await Promise.all([probeWithGosSocket(wsuri), probeWithWebSocket(wsuri)]);
      return {step: 'diagnosis', gos, websocket};
    },
    spoilNextTicket: async ({ticket}) => {
      wamp.spoilNextTicket(ticket);
      return {step: 'spoiling'};
    },
  };

  (async function obey() {
    for (;;) {
      const command = await (await fetch('/command')).json();
      if (command.name === 'done') {
        return;
      }
      if (commands[command.name]) {
        const {step, ...data} = await commands[command.name](command);
        await report(step, data);
      }
    }
  }());
}());
