/* render/diff.c - word diff (being written). */
#include "config.h"
#include "render/render.h"
