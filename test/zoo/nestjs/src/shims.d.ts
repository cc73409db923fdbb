// Modules without types in this repository: cookie-parser has no @types package installed and
// the installed @types/node (20) predates node:sqlite (the app runs on Node 24).
declare module 'cookie-parser';
declare module 'node:sqlite';
