<?php
// Zoo launcher for the Laravel 8 app: reads PORT and replaces itself (pcntl_exec, same PID,
// so SIGTERM reaches the server) with PHP's built-in server, one process, every request
// routed to public/index.php:  php -S 127.0.0.1:$PORT -t {dir}/public {dir}/public/index.php
$port = getenv('PORT') ?: '8000';
$env = getenv();
unset($env['PHP_CLI_SERVER_WORKERS']); // one process (the built-in server forks workers when set)
pcntl_exec(PHP_BINARY, ['-S', "127.0.0.1:$port", '-t', __DIR__.'/public', __DIR__.'/public/index.php'], $env);
fwrite(STDERR, "serve.php: cannot exec ".PHP_BINARY."\n");
exit(1);
