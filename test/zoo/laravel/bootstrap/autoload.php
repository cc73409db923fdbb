<?php
// Stands in for composer's vendor/autoload.php: Debian's php-laravel-framework autoloader
// (it requires the autoloaders of Symfony, Monolog, Carbon, ... from /usr/share/php),
// plus the PSR-4 mapping App\ => app/ that composer.json's "autoload" gives a Laravel app.
require_once 'Illuminate/autoload.php';

spl_autoload_register(function ($class) {
    if (strncmp($class, 'App\\', 4) === 0) {
        $file = __DIR__.'/../app/'.str_replace('\\', '/', substr($class, 4)).'.php';
        if (is_file($file)) {
            require $file;
        }
    }
});
