"""/m: the customer mini-program's H5 build (apps/home_service/miniprogram/customer).

`npm run build:h5` in apps/home_service/miniprogram writes m.html here and its assets to
public/m/ (served as /assets/home_service/m/); both are build output, not in git. The app routes
with the URL's hash (/m#/pages/...), so this one page serves every screen.
"""

no_cache = 1
sitemap = 0


def get_context(context):
	context.no_cache = 1
