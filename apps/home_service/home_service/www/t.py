"""/t: the technician mini-program's H5 build (apps/home_service/miniprogram/technician).

`npm run build:h5:technician` in apps/home_service/miniprogram writes t.html here and its assets to
public/t/ (served as /assets/home_service/t/); both are build output, not in git. The app routes
with the URL's hash (/t#/pages/...), so this one page serves every screen.
"""

no_cache = 1
sitemap = 0


def get_context(context):
	context.no_cache = 1
