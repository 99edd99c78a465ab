// Starts npm wamp.rt (the exact version pinned in package.json) for the Tollgate load generator.
// Usage: node wamp-rt.js [port] [path]   (listens on 127.0.0.1 only; Ctrl-C or SIGTERM stops it)
// wamp.rt speaks wamp.2.json only and accepts any realm.
'use strict'
const http = require('http')
const Router = require('wamp.rt')

const port = Number(process.argv[2] || 9002)
const path = process.argv[3] || '/ws'
const server = http.createServer((req, res) => { res.writeHead(404); res.end() })
// eslint-disable-next-line no-new
new Router({ server, path })
server.listen(port, '127.0.0.1', () => {
  console.log(`wamp.rt ${require('wamp.rt/package.json').version} listening on ws://127.0.0.1:${port}${path} pid ${process.pid}`)
})
process.on('SIGTERM', () => process.exit(0))
process.on('SIGINT', () => process.exit(0))
