/* The allocator the JavaScript side uses for tensor storage (emmalloc, linked by build.sh). */
#include "simd.h"
#include <stdlib.h>

EXPORT void *gorch_malloc(size_t n) { return malloc(n ? n : 1); }
EXPORT void gorch_free(void *p) { free(p); }
