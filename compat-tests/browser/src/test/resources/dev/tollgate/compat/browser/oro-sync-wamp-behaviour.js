// Oro's page-side synchronizer (OroSyncBundle sync/wamp.js, oroinc/platform 7.0.4) as it behaves, written for this
// test from its documented behaviour:
// - connect(): unless a session is open, POST syncTicketUrl for {ticket}, then
//   ab.connect('ws://host:port/path?ticket=' + encodeURIComponent(ticket), onConnect, onHangup, {maxRetries: 0, …});
//   a failed ticket request is a hangup with CONNECTION_UNSUPPORTED;
// - onHangup(code): the session is gone; unless code is CONNECTION_CLOSED, connect() again (a fresh ticket) after
//   keepReconnectRetryDelay (2 s). After CONNECTION_CLOSED it never reconnects;
// - onConnect(session): announce "connection_established", then subscribe every channel again.
// Differences, all outside the WebSocket: the ticket request is a CORS fetch with HTTP Basic credentials (Oro's page
// is same-origin with Oro and sends its session cookie to Oro's own route), and two hooks for the test: every
// hangup and every ticket fetched are announced ("hangup", "ticket"), and spoilNextTicket(t) makes the next ticket
// that arrives be t instead, as if the application had handed out a stale one.
(function (global) {
  'use strict';

  class OroWamp {
    constructor(options) {
      this.options = Object.assign({port: 80, path: '', keepReconnectRetryDelay: 2000}, options);
      // Autobahn's own retries would reuse the one-time ticket: Oro turns them off and reconnects itself.
      this.options.maxRetries = 0;
      this.channels = {};
      this.session = null;
      this.tickets = [];
      this._listeners = {};
      this._spoiled = null;
      this.connect();
    }

    on(event, listener) {
      (this._listeners[event] = this._listeners[event] || []).push(listener);
    }

    trigger(event, data) {
      (this._listeners[event] || []).forEach((listener) => listener(data));
    }

    spoilNextTicket(ticket) {
      this._spoiled = ticket;
    }

    connect() {
      if (this.session) {
        return;
      }
      fetch(this.options.syncTicketUrl, {method: 'POST', mode: 'cors', credentials: 'include',
        headers: this.options.ticketHeaders})
        .then((response) => {
          if (!response.ok) {
            throw new Error('ticket request answered ' + response.status);
          }
          return response.json();
        })
        .then((body) => {
          const ticket = this._spoiled || body.ticket;
          this.trigger('ticket', {spoiled: this._spoiled !== null});
          this._spoiled = null;
          this.tickets.push(ticket);
          const wsuri = (this.options.secure ? 'wss' : 'ws') + '://' + this.options.host + ':' + this.options.port
            + '/' + this.options.path.replace(/\/+$/, '') + '?ticket=' + encodeURIComponent(ticket);
          global.ab.connect(wsuri, (session) => this.onConnect(session), (code, msg) => this.onHangup(code, msg),
            this.options);
        }, () => this.onHangup(global.ab.CONNECTION_UNSUPPORTED, 'the ticket request failed'));
    }

    subscribe(channel, callback) {
      const wrapper = (topic, attributes) => callback(attributes);
      wrapper.origCallback = callback;
      (this.channels[channel] = this.channels[channel] || []).push(wrapper);
      if (this.session) {
        this.session.subscribe(channel, wrapper);
      }
    }

    onHangup(code, msg) {
      this.trigger('hangup', {code, msg});
      if (code !== global.ab.CONNECTION_CLOSED) {
        setTimeout(() => this.connect(), this.options.keepReconnectRetryDelay);
      }
      this.session = null;
    }

    onConnect(session) {
      this.session = session;
      this.trigger('connection_established', session);
      Object.keys(this.channels).forEach((channel) => {
        this.channels[channel].forEach((callback) => session.subscribe(channel, callback));
      });
    }
  }

  global.OroWamp = OroWamp;
}(window));
