// Bundles one installed auth0-lock version into a single browser script, as LOCK.md §(e) 3 says:
// iife, production React, `global` = window, bare `auth0-js` resolved to its ES module file, the
// Cordova plugin stubbed, and for 10.x/11.x the `process` global injected.
//
// usage: node bundle.mjs <esbuild package dir> <install dir with node_modules> <out dir> <node-shims: yes|no>
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const [esbuildDir, installDir, outDir, nodeShims] = process.argv.slice(2);
const here = path.dirname(fileURLToPath(import.meta.url));
const esbuild = createRequire(path.join(esbuildDir, 'noop.js'))('esbuild');
const fromInstall = createRequire(path.join(installDir, 'noop.js'));

const auth0JsDir = path.dirname(fromInstall.resolve('auth0-js/package.json', { paths: [path.dirname(fromInstall.resolve('auth0-lock/package.json'))] }));
const auth0Js = JSON.parse(readFileSync(path.join(auth0JsDir, 'package.json'), 'utf8'));
// auth0-js 7 (Lock 10.0-10.8) has no module build: its CommonJS main is fine as it is.
const auth0JsEntry = auth0Js.module ? path.join(auth0JsDir, auth0Js.module) : null;

const fixes = {
  name: 'lock-fixes',
  setup(build) {
    if (auth0JsEntry) {
      build.onResolve({ filter: /^auth0-js$/ }, () => ({ path: auth0JsEntry }));
    }
    build.onResolve({ filter: /^auth0-js\/dist\/cordova-auth0-plugin(\.min)?(\.js)?$/ }, () => ({ path: path.join(here, 'cordova-plugin-stub.js'), namespace: 'cordova-stub' }));
    build.onLoad({ filter: /.*/, namespace: 'cordova-stub' }, (args) => ({
      contents: readFileSync(args.path, 'utf8').replaceAll('__AUTH0_JS_VERSION__', auth0Js.version),
      loader: 'js',
    }));
  },
};

mkdirSync(outDir, { recursive: true });
const entry = path.join(installDir, 'entry.js');
writeFileSync(entry, readFileSync(path.join(here, 'entry.js')));
await esbuild.build({
  entryPoints: [entry],
  absWorkingDir: installDir,
  nodePaths: [path.join(installDir, 'node_modules')],
  bundle: true,
  minify: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2017',
  outfile: path.join(outDir, 'lock.js'),
  define: { 'process.env.NODE_ENV': '"production"', global: 'window' },
  inject: nodeShims === 'yes' ? [path.join(here, 'process-shim.js')] : [],
  plugins: [fixes],
  logLevel: 'warning',
  legalComments: 'none',
});

// The English dictionary of the same package, for LoginPageOptions.LanguageDictionaries.
const en = fromInstall(path.join(installDir, 'node_modules/auth0-lock/lib/i18n/en.js'));
writeFileSync(path.join(outDir, 'en.json'), JSON.stringify(en.default ?? en));
console.log(`auth0-lock ${JSON.parse(readFileSync(path.join(installDir, 'node_modules/auth0-lock/package.json'), 'utf8')).version} with auth0-js ${auth0Js.version}`);
