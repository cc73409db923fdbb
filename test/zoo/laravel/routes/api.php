<?php
// The zoo's Laravel 8 app (Debian's php-laravel-framework 8.83, no composer): a minimal Laravel
// skeleton (bootstrap/, app/Http/Kernel.php, app/Providers/, config/, routes/, public/index.php)
// served by PHP's built-in server, one process: `php {dir}/serve.php` (reads PORT, execs
// `php -S 127.0.0.1:$PORT -t {dir}/public {dir}/public/index.php`). Data in ZOO_DATA_DIR.
//
// API routes: the "api" middleware group (throttle:api), prefix /api. Every refusal (422, 401,
// 419, 429, 500) is Laravel's own: its validator, token guard, VerifyCsrfToken, ThrottleRequests
// and exception handler (APP_DEBUG=false, log channel "stderr").
use App\Models\User;
use Illuminate\Http\Request;
use Illuminate\Support\Facades\DB;
use Illuminate\Support\Facades\Hash;
use Illuminate\Support\Facades\Route;
use Illuminate\Support\Str;
use Illuminate\Validation\ValidationException;

// Checks the password as the Sanctum docs' token login does (ValidationException on a wrong
// password) and returns the user's api_token, creating it on first login. Every login returns the
// same token, so that concurrent logins of a load test do not invalidate each other's tokens.
function issueToken(Request $request): string
{
    $user = User::where('username', $request->username)->first();

    if (! $user || ! Hash::check($request->password, $user->password)) {
        throw ValidationException::withMessages([
            'username' => ['The provided credentials are incorrect.'],
        ]);
    }

    if (! $user->api_token) {
        $user->forceFill(['api_token' => Str::random(60)])->save();
    }

    return $user->api_token;
}

Route::post('/login', function (Request $request) {
    $request->validate([
        'username' => 'required|string',
        'password' => 'required|string',
    ]);

    return ['token' => issueToken($request)];
});

// OAuth2 password-style login on form fields. Laravel's $request->post() / validate() read the
// JSON body too when the request is JSON: Laravel does not tell the two apart.
Route::post('/token', function (Request $request) {
    $request->validate([
        'username' => 'required|string',
        'password' => 'required|string',
    ]);

    return ['access_token' => issueToken($request), 'token_type' => 'bearer'];
});

Route::middleware('auth:api')->get('/items', function () {
    return [['id' => 1, 'name' => 'item 1'], ['id' => 2, 'name' => 'item 2'], ['id' => 3, 'name' => 'item 3']];
});

Route::get('/fast', function () {
    return ['ok' => true];
});

Route::middleware('throttle:3,1')->get('/limited', function () {
    return ['ok' => true];
});

Route::get('/boom', function () {
    $payload = [];

    return ['value' => $payload['missing']]; // ErrorException: Undefined array key "missing"
});

Route::post('/orders', function (Request $request) {
    DB::connection('orders')->table('orders')->insert([
        'item' => $request->input('item', 'widget'),
        'created_at' => now(),
    ]);

    return response()->json(['ok' => true], 201);
});

Route::get('/slow', function () {
    usleep(300000);

    return ['ok' => true];
});

Route::get('/cpu', function () {
    $hash = 'zoo';
    $until = hrtime(true) + 20000000;
    while (hrtime(true) < $until) {
        $hash = hash('sha256', $hash);
    }

    return ['ok' => true, 'hash' => $hash];
});
