// Stands in for auth0-js/dist/cordova-auth0-plugin.min.js (LOCK.md §(e) 3): its UMD build exports
// nothing under esbuild, and Cordova never applies in a browser. __AUTH0_JS_VERSION__ is replaced
// by the resolved auth0-js version when bundling.
function CordovaAuth0Plugin() {
  this.version = '__AUTH0_JS_VERSION__';
  this.extensibilityPoints = [];
}

CordovaAuth0Plugin.prototype.name = 'cordova';
CordovaAuth0Plugin.prototype.supports = function () { return false; };
CordovaAuth0Plugin.prototype.init = function () {};
CordovaAuth0Plugin.prototype.setWebAuth = function () {};

module.exports = CordovaAuth0Plugin;
module.exports.default = CordovaAuth0Plugin;
