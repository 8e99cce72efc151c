// Injected into 10.x/11.x bundles, whose dependencies read the Node global `process`.
import process from 'process/browser.js';
export { process };
