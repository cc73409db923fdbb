/**
 * Names of environment variables whose values are treated as secrets: the pipeline redacts
 * their values from everything it writes, and the Locust engine keeps them out of its logs.
 */
export const SECRET_NAME = /pass|secret|token|key|auth|credential/i;
