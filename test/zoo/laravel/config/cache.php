<?php
// File cache under ZOO_DATA_DIR: the rate limiter's counters (php -S keeps no memory between requests).
return [
    'default' => env('CACHE_DRIVER', 'file'),

    'stores' => [
        'file' => [
            'driver' => 'file',
            'path' => storage_path('cache'),
        ],
    ],

    'prefix' => 'laravel_cache',
];
