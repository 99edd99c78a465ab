// GosWebSocketBundle's browser client (GosSocket, public/js/websocket.js of v3.15.0) as a page sees it, written for
// this test from its documented behaviour: a thin layer over ab.connect that announces "socket/connect" with the
// session and "socket/disconnect" with {code, reason}, the hangup code and message of AutobahnJS. It adds nothing on
// the wire.
(function (global) {
  'use strict';

  class GosSocket {
    constructor(uri, sessionConfig) {
      this._listeners = {};
      this._session = null;
      global.ab.connect(uri, (session) => {
        this._session = session;
        this._fire('socket/connect', session);
      }, (code, reason) => {
        this._session = null;
        this._fire('socket/disconnect', {code, reason});
      }, sessionConfig);
    }

    static connect(uri, sessionConfig) {
      if (typeof global.ab === 'undefined') {
        throw new Error('GosSocket requires AutobahnJS to be loaded.');
      }
      return new GosSocket(uri, sessionConfig || null);
    }

    get session() {
      return this._session;
    }

    isConnected() {
      return this._session !== null;
    }

    on(event, listener) {
      (this._listeners[event] = this._listeners[event] || []).push(listener);
    }

    _fire(event, data) {
      (this._listeners[event] || []).forEach((listener) => listener.call(this, data));
    }
  }

  global.GosSocket = GosSocket;
}(window));
