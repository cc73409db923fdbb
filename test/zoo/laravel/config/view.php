<?php
// Blade renders the framework's error pages (errors::419, errors::429, errors::500, ...).
return [
    'paths' => [resource_path('views')],
    'compiled' => storage_path('views'),
];
