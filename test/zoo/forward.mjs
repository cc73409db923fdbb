// A TCP forwarder: the matrix's stack command. Each zoo app boots once for all its faults; each
// run of the pipeline starts this forwarder as its stack (a real process on the target's port,
// started and stopped by loadgate) in front of the running app, and reads the app's log with
// `stack.logs`. Usage: node forward.mjs <listen-port> <app-port>
import net from 'node:net';

const [listen, app] = process.argv.slice(2).map(Number);
net
  .createServer((client) => {
    const upstream = net.connect(app, '127.0.0.1');
    client.pipe(upstream).pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end);
    upstream.on('error', end);
  })
  .listen(listen, '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
