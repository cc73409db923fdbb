<?php
// SQLite under ZOO_DATA_DIR. "orders" is the database AppServiceProvider locks; its PDO busy
// timeout is 0 s (PDO::ATTR_TIMEOUT, whole seconds; PDO's default would wait 60 s).
return [
    'default' => env('DB_CONNECTION', 'sqlite'),

    'connections' => [
        'sqlite' => [
            'driver' => 'sqlite',
            'database' => storage_path('app.sqlite'),
            'prefix' => '',
            'foreign_key_constraints' => true,
        ],

        'orders' => [
            'driver' => 'sqlite',
            'database' => storage_path('orders.sqlite'),
            'prefix' => '',
            'options' => [PDO::ATTR_TIMEOUT => 0],
        ],
    ],

    'migrations' => 'migrations',
];
