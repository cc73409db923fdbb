<?php
// Laravel 8's config/auth.php: the "api" guard is the framework's token guard (TokenGuard), which
// reads users.api_token from `Authorization: Bearer <token>` (or ?api_token=, or a Basic password).
return [
    'defaults' => [
        'guard' => 'web',
        'passwords' => 'users',
    ],

    'guards' => [
        'web' => [
            'driver' => 'session',
            'provider' => 'users',
        ],

        'api' => [
            'driver' => 'token',
            'provider' => 'users',
            'hash' => false,
        ],
    ],

    'providers' => [
        'users' => [
            'driver' => 'eloquent',
            'model' => App\Models\User::class,
        ],
    ],
];
