<?php
// Web routes: the "web" middleware group (cookies, session, VerifyCsrfToken).
use Illuminate\Http\Request;
use Illuminate\Support\Facades\Route;

Route::get('/health', function () {
    return ['status' => 'ok'];
});

// Any GET of the web group sets the XSRF-TOKEN cookie (VerifyCsrfToken::$addHttpCookie); this one
// only does that, like Sanctum's /sanctum/csrf-cookie.
Route::get('/csrf-cookie', function () {
    return response()->noContent();
});

Route::post('/api/comments', function (Request $request) {
    return response()->json(['id' => 1, 'body' => $request->input('body')], 201);
});
