<?php
// The Laravel 8 skeleton's bootstrap/app.php, with storage (sessions, cache, compiled views,
// the framework's services/packages manifests) moved to ZOO_DATA_DIR so nothing is written
// into the app's folder.
$dataDir = rtrim(getenv('ZOO_DATA_DIR') ?: sys_get_temp_dir().'/zoo-laravel', '/');
foreach (['', '/sessions', '/cache', '/views', '/framework'] as $sub) {
    is_dir($dataDir.$sub) || mkdir($dataDir.$sub, 0777, true);
}
putenv('APP_SERVICES_CACHE='.$dataDir.'/framework/services.php');
putenv('APP_PACKAGES_CACHE='.$dataDir.'/framework/packages.php');

$app = new Illuminate\Foundation\Application(
    $_ENV['APP_BASE_PATH'] ?? dirname(__DIR__)
);
$app->useStoragePath($dataDir);

$app->singleton(
    Illuminate\Contracts\Http\Kernel::class,
    App\Http\Kernel::class
);

// The skeleton's App\Exceptions\Handler adds nothing to the framework's handler.
$app->singleton(
    Illuminate\Contracts\Debug\ExceptionHandler::class,
    Illuminate\Foundation\Exceptions\Handler::class
);

return $app;
