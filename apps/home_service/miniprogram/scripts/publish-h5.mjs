#!/usr/bin/env node
// Put an app's H5 build where the site serves it, at the app's short path: the customer app's
// index.html as the /m page (home_service/www/m.html) with its assets under home_service/public/m/
// (/assets/home_service/m/, the base its vite.config.ts builds with); the technician app's at /t
// (www/t.html, public/t/). Run by `npm run build:h5` of each app:
//   node ../scripts/publish-h5.mjs [customer|technician]     (default: customer)
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const PATHS = { customer: 'm', technician: 't' }
const appName = process.argv[2] || 'customer'
const short = PATHS[appName]
if (!short) throw new Error(`unknown app "${appName}": one of ${Object.keys(PATHS).join(', ')}`)
const here = dirname(fileURLToPath(import.meta.url))
const build = resolve(here, `../${appName}/dist/build/h5`)
const pkg = resolve(here, '../../home_service')
const assets = resolve(pkg, `public/${short}`)
const page = resolve(pkg, `www/${short}.html`)
const base = `/assets/home_service/${short}/`

if (!existsSync(resolve(build, 'index.html'))) throw new Error(`no H5 build in ${build}: run uni build first`)
let html = readFileSync(resolve(build, 'index.html'), 'utf8')
if (!html.includes(base)) throw new Error(`the H5 build was not made with base ${base}`)
if (/\{[{%#]/.test(html)) html = `{% raw %}${html}{% endraw %}` // the page is rendered by Jinja: keep it literal
rmSync(assets, { recursive: true, force: true })
mkdirSync(assets, { recursive: true })
cpSync(resolve(build, 'assets'), resolve(assets, 'assets'), { recursive: true })
for (const extra of ['static']) {
  if (existsSync(resolve(build, extra))) cpSync(resolve(build, extra), resolve(assets, extra), { recursive: true })
}
mkdirSync(dirname(page), { recursive: true })
writeFileSync(page, html)
console.log(`published the H5 build: ${page} and ${assets}/`)
