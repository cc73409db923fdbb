// csrf-csrf (double-submit cookie), as Nest's "CSRF Protection" page recommends for Express.
// The cookie is named without the __Host- prefix and not Secure: the zoo serves plain HTTP.
import { doubleCsrf } from 'csrf-csrf';
import { JWT_SECRET } from './config.js';

export const { doubleCsrfProtection, generateCsrfToken } = doubleCsrf({
  getSecret: () => JWT_SECRET,
  getSessionIdentifier: (req) => req.ip ?? '',
  cookieName: 'psifi.x-csrf-token',
  cookieOptions: { secure: false },
});
