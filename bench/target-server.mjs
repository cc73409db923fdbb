// The benchmark's target: a trivial HTTP server (keep-alive, 2-byte body), pinned to one core.
// Its accept queue holds 10,000 connections opened within a second (up to net.core.somaxconn):
// with the default 511, dropped SYNs are retried a second later and every such first request
// carries that second, a tail made by the target, not by the generator.
import http from 'node:http';

const server = http.createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '2' });
  res.end('ok');
});
server.keepAliveTimeout = 60_000;
server.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1', backlog: 16_384 }, () => {
  console.log(server.address().port);
});
