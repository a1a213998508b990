#!/usr/bin/env node
// Put the customer H5 build where the site serves it: index.html as the /m page
// (home_service/www/m.html) and the assets under home_service/public/m/ (/assets/home_service/m/,
// the base vite.config.ts builds with). Run by `npm run build:h5`.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const build = resolve(here, '../customer/dist/build/h5')
const pkg = resolve(here, '../../home_service')
const assets = resolve(pkg, 'public/m')
const page = resolve(pkg, 'www/m.html')

if (!existsSync(resolve(build, 'index.html'))) throw new Error(`no H5 build in ${build}: run uni build first`)
let html = readFileSync(resolve(build, 'index.html'), 'utf8')
if (!html.includes('/assets/home_service/m/')) throw new Error('the H5 build was not made with base /assets/home_service/m/')
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
