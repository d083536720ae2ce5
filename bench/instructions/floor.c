// The C floor of the small-message calls: N calls of one operation made straight through libzstd
// and liblz4, with a reused context, built from the sources that zstd-sys and lz4-sys vendor (see
// bench/suite/instructions.mjs). What squish costs above this is its own layers' cost.
//
//   floor OP SIZE FILE N    OP: zc zd lc ld (zstd -3 compress / decompress, LZ4 frame compress /
//                           decompress); the message is SIZE bytes of FILE from byte 4321
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lz4frame.h"
#include "zstd.h"

#define WARM_UP 3000
#define AT 4321

static char src[1 << 20], zframe[1 << 20], lframe[1 << 20], out[1 << 20];

int main(int argc, char **argv) {
  if (argc != 5) return 2;
  const char *op = argv[1];
  size_t size = strtoul(argv[2], NULL, 10);
  FILE *f = fopen(argv[3], "rb");
  long n = strtol(argv[4], NULL, 10);
  if (!f || fread(src, 1, sizeof src, f) < AT + size) return 2;
  fclose(f);
  const char *message = src + AT;

  ZSTD_CCtx *cctx = ZSTD_createCCtx();
  ZSTD_DCtx *dctx = ZSTD_createDCtx();
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, 3);
  size_t zsize = ZSTD_compress2(cctx, zframe, sizeof zframe, message, size);
  LZ4F_cctx *lcctx;
  LZ4F_dctx *ldctx;
  LZ4F_createCompressionContext(&lcctx, LZ4F_VERSION);
  LZ4F_createDecompressionContext(&ldctx, LZ4F_VERSION);
  LZ4F_preferences_t prefs;
  memset(&prefs, 0, sizeof prefs);
  prefs.frameInfo.contentSize = size;
  size_t lsize = LZ4F_compressFrame_usingCDict(lcctx, lframe, sizeof lframe, message, size, NULL, &prefs);

  volatile size_t sink = 0;
  for (long i = 0; i < WARM_UP + n; i++) {
    if (!strcmp(op, "zc")) {
      sink += ZSTD_compress2(cctx, zframe, sizeof zframe, message, size);
    } else if (!strcmp(op, "zd")) {
      sink += ZSTD_decompressDCtx(dctx, out, sizeof out, zframe, zsize);
    } else if (!strcmp(op, "lc")) {
      sink += LZ4F_compressFrame_usingCDict(lcctx, lframe, sizeof lframe, message, size, NULL, &prefs);
    } else if (!strcmp(op, "ld")) {
      size_t written = sizeof out, read = lsize;
      LZ4F_resetDecompressionContext(ldctx);
      sink += LZ4F_decompress(ldctx, out, &written, lframe, &read, NULL);
    } else {
      return 2;
    }
  }
  return 0;
}
