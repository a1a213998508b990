/// <reference path="../shared/uni-env.d.ts" />
