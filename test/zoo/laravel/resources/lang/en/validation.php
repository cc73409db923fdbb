<?php
// The Laravel 8 skeleton's resources/lang/en/validation.php (the framework ships no language
// lines before Laravel 9/10), trimmed to the rules this app uses; the lines are the skeleton's.
return [
    'required' => 'The :attribute field is required.',
    'string' => 'The :attribute must be a string.',

    'custom' => [
        'attribute-name' => [
            'rule-name' => 'custom-message',
        ],
    ],

    'attributes' => [],
];
