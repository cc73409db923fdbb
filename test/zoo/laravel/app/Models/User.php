<?php

namespace App\Models;

use Illuminate\Foundation\Auth\User as Authenticatable;

// The skeleton's User model, with the api_token column that Laravel 8's "token" guard reads.
class User extends Authenticatable
{
    protected $fillable = ['username', 'password', 'api_token'];

    protected $hidden = ['password', 'api_token'];
}
