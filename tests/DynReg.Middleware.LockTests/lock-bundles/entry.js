// The whole bundle entry: Lock's npm package, exposed as the CDN build does.
window.Auth0Lock = require('auth0-lock').default;
