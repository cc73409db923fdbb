<?php

namespace App\Providers;

use App\Models\User;
use Illuminate\Database\Schema\Blueprint;
use Illuminate\Support\Facades\Hash;
use Illuminate\Support\Facades\Schema;
use Illuminate\Support\ServiceProvider;
use PDO;
use PDOException;

// Boot-time setup of the zoo's databases. PHP boots the application on every request, so the
// "boot" work is done by the first request of the server process (the harness's GET /health):
//  - orders.sqlite: its orders table is created, then a *persistent* PDO connection (it lives as
//    long as the php -S process) takes BEGIN EXCLUSIVE and never commits, so the "orders"
//    connection of /api/orders fails with "database is locked";
//  - app.sqlite: the users table (api_token column of the token guard) and the demo user,
//    created with the schema builder (what a migration + seeder would do).
class AppServiceProvider extends ServiceProvider
{
    public function boot()
    {
        $orders = config('database.connections.orders.database');
        $locker = new PDO('sqlite:'.$orders, null, null, [
            PDO::ATTR_PERSISTENT => true,
            PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION,
        ]);
        try {
            $locker->exec('CREATE TABLE IF NOT EXISTS orders (id INTEGER PRIMARY KEY, item TEXT, created_at TEXT)');
            $locker->exec('BEGIN EXCLUSIVE');
        } catch (PDOException $e) {
            return; // "cannot start a transaction within a transaction": done by an earlier request
        }

        $users = config('database.connections.sqlite.database');
        file_exists($users) || touch($users);
        if (! Schema::hasTable('users')) {
            Schema::create('users', function (Blueprint $table) {
                $table->id();
                $table->string('username')->unique();
                $table->string('password');
                $table->string('api_token', 80)->unique()->nullable()->default(null);
                $table->timestamps();
            });
        }
        User::firstOrCreate(['username' => 'demo'], ['password' => Hash::make('demo-password')]);
    }
}
