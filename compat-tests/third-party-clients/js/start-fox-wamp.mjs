// Starts fox-wamp (a third-party WAMP v2 router from npm) on 127.0.0.1 for the Java client's compat test.
//
//   node start-fox-wamp.mjs PORT [--trace] [--exit-on-stdin-close]
//
// PORT 0 picks a free port. stdout gets exactly one line, `listening PORT` with the bound port, once the WebSocket
// server accepts connections; everything else (fox-wamp's own console.log output and, with --trace, every WAMP
// message in and out) goes to stderr. Runs until killed. With --exit-on-stdin-close it also exits when its standard
// input ends, so a test JVM that dies without destroying it leaves no router behind. A bad argument or a failure to
// listen prints a line on stderr and exits 1.
import FoxRouter from 'fox-wamp';

const usage = 'usage: node start-fox-wamp.mjs PORT [--trace] [--exit-on-stdin-close]';
const [portArg, ...flags] = process.argv.slice(2);
const port = /^[0-9]{1,5}$/.test(portArg ?? '') ? Number(portArg) : NaN;
const unknown = flags.filter((f) => f !== '--trace' && f !== '--exit-on-stdin-close');
if (!(port <= 65535) || unknown.length > 0) {
  const was = JSON.stringify(process.argv.slice(2));
  console.error(`${usage}\nexpected a port in [0, 65535] and known flags but was ${was}`);
  process.exit(1);
}

// fox-wamp logs with console.log; keep stdout for the one ready line.
const stdoutWrite = process.stdout.write.bind(process.stdout);
console.log = console.error;

const router = new FoxRouter();
router.setLogTrace(flags.includes('--trace'));
const server = router.listenWAMP({ host: '127.0.0.1', port });
server.on('listening', () => stdoutWrite(`listening ${server.address().port}\n`));
server.on('error', (e) => {
  console.error(`fox-wamp cannot listen on 127.0.0.1:${port}: ${e.message}`);
  process.exit(1);
});

if (flags.includes('--exit-on-stdin-close')) {
  process.stdin.on('end', () => process.exit(0));
  process.stdin.on('error', () => process.exit(0));
  process.stdin.resume();
}
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => process.exit(0));
}
