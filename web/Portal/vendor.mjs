// Copies the dist files the portal serves from node_modules into wwwroot/lib (committed, so a build needs no npm).
import { cpSync, rmSync, mkdirSync } from "node:fs";
const files = {
  "bootstrap-italia/dist/css/bootstrap-italia.min.css": "bootstrap-italia/css/bootstrap-italia.min.css",
  "bootstrap-italia/dist/js/bootstrap-italia.bundle.min.js": "bootstrap-italia/js/bootstrap-italia.bundle.min.js",
  "bootstrap-italia/dist/svg/sprites.svg": "bootstrap-italia/svg/sprites.svg",
  "bootstrap-italia/dist/fonts/Titillium_Web": "bootstrap-italia/fonts/Titillium_Web",
  "chart.js/dist/chart.umd.min.js": "chart.js/chart.umd.min.js",
  "@microsoft/signalr/dist/browser/signalr.min.js": "signalr/signalr.min.js",
};
rmSync("wwwroot/lib", { recursive: true, force: true });
for (const [from, to] of Object.entries(files)) {
  mkdirSync(`wwwroot/lib/${to}`.replace(/\/[^/]*$/, ""), { recursive: true });
  // Fonts: woff2 only (every browser the portal supports reads it).
  cpSync(`node_modules/${from}`, `wwwroot/lib/${to}`, { recursive: true, filter: (f) => !/\.(eot|svg|ttf|woff)$/.test(f) || f.endsWith("sprites.svg") });
}
