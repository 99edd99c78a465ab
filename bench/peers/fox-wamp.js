// Starts npm fox-wamp (the exact version pinned in package.json) for the Tollgate load generator.
// Usage: node fox-wamp.js [port] [path]   (listens on 127.0.0.1 only; Ctrl-C or SIGTERM stops it)
'use strict'
const http = require('http')
const FoxRouter = require('fox-wamp')

const port = Number(process.argv[2] || 9001)
const path = process.argv[3] || '/ws'
const server = http.createServer((req, res) => { res.writeHead(404); res.end() })
const router = new FoxRouter()
router.listenWAMP({ server, path })
server.listen(port, '127.0.0.1', () => {
  console.log(`fox-wamp ${require('fox-wamp/package.json').version} listening on ws://127.0.0.1:${port}${path} pid ${process.pid}`)
})
// fox-wamp 0.7.28 throws "this.close is not a function" (lib/wamp/transport.js:10) when a client disconnects while
// writes to it are pending, which would end the process; keep the router up and count it instead.
let uncaught = 0
process.on('uncaughtException', (e) => { if (uncaught++ < 5) console.error('uncaught (router kept running):', e.message) })
process.on('SIGTERM', () => process.exit(0))
process.on('SIGINT', () => process.exit(0))
