// The WAMP v1 client of Oro and Gos pages, AutobahnJS 0.8.2, as far as a router and a page can tell it apart:
// written for this test from what AutobahnJS was seen and documented to do (shared/compat/js-clients/README.md and
// ../ratchet-v1/autobahnjs-gos-client-session.json), not from its code, which is on no package registry.
//
// What it reproduces, because Tollgate's behaviour towards pages depends on it:
// - the socket offers the subprotocol "wamp"; an answer without it is closed by the client ("server does not speak
//   WAMP") unless skipSubprotocolCheck;
// - the session opens on WELCOME [0, sessionId, 1, ident]; PREFIX [1, prefix, uri], CALL [2, callId, uri, args…]
//   with call ids from Math.random().toString(36) and URIs shrunk to CURIEs, SUBSCRIBE [5, topic] and
//   UNSUBSCRIBE [6, topic] with the topic as given; CALLRESULT resolves, CALLERROR rejects with {uri, desc, detail};
//   an EVENT reaches the callbacks of the topic it resolves to; any other message, JSON objects included, is ignored;
// - how a closed socket becomes a hangup code: never opened -> CONNECTION_UNREACHABLE; opened and closed cleanly ->
//   CONNECTION_CLOSED with "WS-<code>: <reason>"; opened and closed uncleanly -> CONNECTION_LOST. Then ab.connect's
//   retries: with maxRetries 0 (Oro), a lost connection is reported as CONNECTION_RETRIES_EXCEEDED "Connection
//   lost.", an unreachable one that never connected as CONNECTION_UNREACHABLE "Connection could not be
//   established.", a clean close as CONNECTION_CLOSED "Connection was closed properly [WS-…]".
(function (global) {
  'use strict';

  const WELCOME = 0, PREFIX = 1, CALL = 2, CALLRESULT = 3, CALLERROR = 4, SUBSCRIBE = 5, UNSUBSCRIBE = 6, EVENT = 8;

  const ab = {
    CONNECTION_CLOSED: 0,
    CONNECTION_LOST: 1,
    CONNECTION_RETRIES_EXCEEDED: 2,
    CONNECTION_UNREACHABLE: 3,
    CONNECTION_UNSUPPORTED: 4,
    CONNECTION_UNREACHABLE_SCHEDULED_RECONNECT: 5,
    CONNECTION_LOST_SCHEDULED_RECONNECT: 6,
    version: () => '0.8.2 (behaviour)',
  };

  class Prefixes {
    constructor() {
      this.uriOf = {};
      this.prefixOf = {};
    }

    set(prefix, uri) {
      this.uriOf[prefix] = uri;
      this.prefixOf[uri] = prefix;
    }

    // "p:rest" with a known prefix p is its URI followed by rest; anything else passes through.
    resolve(curie) {
      const colon = curie.indexOf(':');
      if (colon >= 0 && this.uriOf[curie.substring(0, colon)]) {
        return this.uriOf[curie.substring(0, colon)] + curie.substring(colon + 1);
      }
      return curie;
    }

    // The longest known URI that starts uri becomes its prefix.
    shrink(uri) {
      for (let i = uri.length; i > 0; i--) {
        const prefix = this.prefixOf[uri.substring(0, i)];
        if (prefix) {
          return prefix + ':' + uri.substring(i);
        }
      }
      return uri;
    }
  }

  class Session {
    constructor(wsuri, onopen, onclose, options) {
      this._options = options || {};
      this._onopen = onopen;
      this._onclose = onclose;
      this._socketOpen = false;
      this._sessionId = null;
      this._calls = {};
      this._subscriptions = {};
      this._prefixes = new Prefixes();
      const ws = this._options.skipSubprotocolAnnounce ? new WebSocket(wsuri) : new WebSocket(wsuri, ['wamp']);
      this._ws = ws;
      ws.onopen = () => {
        if (ws.protocol !== 'wamp' && !this._options.skipSubprotocolCheck) {
          ws.close(1000, 'server does not speak WAMP');
          throw new Error("server does not speak WAMP (but '" + ws.protocol + "' !)");
        }
        this._socketOpen = true;
      };
      ws.onmessage = (e) => this._receive(JSON.parse(e.data));
      ws.onclose = (e) => {
        const onclose = this._onclose;
        const code = !this._socketOpen ? ab.CONNECTION_UNREACHABLE
          : e.wasClean ? ab.CONNECTION_CLOSED : ab.CONNECTION_LOST;
        this._socketOpen = false;
        this._onopen = null;
        this._onclose = null;
        if (onclose) {
          onclose(code, code === ab.CONNECTION_CLOSED ? 'WS-' + e.code + ': ' + e.reason : undefined);
        }
      };
    }

    _receive(message) {
      if (message[1] in this._calls) {
        const call = this._calls[message[1]];
        delete this._calls[message[1]];
        if (message[0] === CALLRESULT) {
          call.resolve(message[2]);
        } else if (message[0] === CALLERROR) {
          const error = {uri: message[2], desc: message[3]};
          if (message[4] !== undefined) {
            error.detail = message[4];
          }
          call.reject(error);
        }
      } else if (message[0] === EVENT) {
        const callbacks = this._subscriptions[this._prefixes.resolve(message[1])];
        if (callbacks) {
          callbacks.forEach((callback) => callback(message[1], message[2]));
        }
      } else if (message[0] === WELCOME) {
        if (this._sessionId !== null) {
          throw new Error('protocol error (welcome message received more than once)');
        }
        this._sessionId = message[1];
        if (this._onopen) {
          this._onopen();
        }
      }
    }

    _send(message) {
      if (!this._socketOpen) {
        throw new Error('Autobahn not connected');
      }
      this._ws.send(JSON.stringify(message));
    }

    sessionid() {
      return this._sessionId;
    }

    prefix(prefix, uri) {
      this._prefixes.set(prefix, uri);
      this._send([PREFIX, prefix, uri]);
    }

    call(uri, ...args) {
      let callId;
      do {
        callId = Math.random().toString(36);
      } while (callId in this._calls);
      const result = new Promise((resolve, reject) => {
        this._calls[callId] = {resolve, reject};
      });
      this._send([CALL, callId, this._prefixes.shrink(uri), ...args]);
      return result;
    }

    subscribe(topic, callback) {
      const resolved = this._prefixes.resolve(topic);
      if (!(resolved in this._subscriptions)) {
        this._send([SUBSCRIBE, topic]);
        this._subscriptions[resolved] = [];
      }
      if (this._subscriptions[resolved].indexOf(callback) !== -1) {
        throw new Error('callback ' + callback + ' already subscribed for topic ' + resolved);
      }
      this._subscriptions[resolved].push(callback);
    }

    unsubscribe(topic, callback) {
      const resolved = this._prefixes.resolve(topic);
      const callbacks = this._subscriptions[resolved];
      if (!callbacks) {
        throw new Error('not subscribed to topic ' + resolved);
      }
      if (callback === undefined) {
        callbacks.length = 0;
      } else if (callbacks.indexOf(callback) === -1) {
        throw new Error('no callback ' + callback + ' subscribed on topic ' + resolved);
      } else {
        callbacks.splice(callbacks.indexOf(callback), 1);
      }
      if (callbacks.length === 0) {
        delete this._subscriptions[resolved];
        this._send([UNSUBSCRIBE, topic]);
      }
    }

    close() {
      if (this._socketOpen) {
        this._ws.close();
      }
    }
  }

  // One attempt of ab.connect: a new Session; its close becomes onHangup(code, message[, details]), and a retry
  // while retries are left.
  function attempt(peer) {
    const session = new Session(peer.wsuri, () => {
      peer.connects += 1;
      peer.retryCount = 0;
      peer.onConnect(session);
    }, (code, reason) => {
      const retries = peer.options.maxRetries;
      const delay = peer.options.retryDelay;
      const retry = (scheduledCode, message) => {
        const stop = peer.onHangup(scheduledCode, message, {delay, retries: peer.retryCount, maxretries: retries});
        if (stop) {
          peer.onHangup(ab.CONNECTION_RETRIES_EXCEEDED, 'Number of connection retries exceeded.');
        } else {
          setTimeout(() => attempt(peer), delay);
        }
      };
      if (code === ab.CONNECTION_CLOSED) {
        peer.onHangup(code, 'Connection was closed properly [' + reason + ']');
      } else if (code === ab.CONNECTION_UNREACHABLE) {
        peer.retryCount += 1;
        if (peer.connects === 0) {
          peer.onHangup(code, 'Connection could not be established.');
        } else if (peer.retryCount <= retries) {
          retry(ab.CONNECTION_UNREACHABLE_SCHEDULED_RECONNECT,
            'Connection unreachable - scheduled reconnect to occur in ' + delay / 1000 + ' second(s).');
        } else {
          peer.onHangup(ab.CONNECTION_RETRIES_EXCEEDED, 'Number of connection retries exceeded.');
        }
      } else {
        peer.retryCount += 1;
        if (peer.retryCount <= retries) {
          retry(ab.CONNECTION_LOST_SCHEDULED_RECONNECT,
            'Connection lost - scheduled reconnect to occur in ' + delay / 1000 + ' second(s).');
        } else {
          peer.onHangup(ab.CONNECTION_RETRIES_EXCEEDED, 'Connection lost.');
        }
      }
    }, peer.options);
  }

  ab.connect = function (wsuri, onConnect, onHangup, options) {
    const peer = {wsuri, onConnect, onHangup: onHangup || (() => {}), options: options || {}, connects: 0, retryCount: 0};
    if (peer.options.retryDelay === undefined) {
      peer.options.retryDelay = 5000;
    }
    if (peer.options.maxRetries === undefined) {
      peer.options.maxRetries = 10;
    }
    attempt(peer);
  };

  ab.Session = Session;
  global.ab = ab;
}(window));
