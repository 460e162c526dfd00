// CueGrid — GPL-3.0-or-later
#pragma once

namespace cuegrid::analysis
{

/** FFTW wisdom for the subsonic detector's real-to-complex transforms of 16384, 32768 and
    65536 points (FFTW_MEASURE, FFTW 3.3.10), made once on the development VM (AMD EPYC with
    AVX2 and AVX-512) by planning each length with FFTW_MEASURE on fftw_alloc'd buffers and
    fftw_export_wisdom_to_string(). Imported before planning, it gives the measured plan (32768
    points: 51 µs instead of FFTW_ESTIMATE's 84 µs here) without the 0.6 s of measuring and
    the same plan in every run, so results do not change from run to run. On a CPU the wisdom
    does not fit (other SIMD, another FFTW) the wisdom-only plan fails and FFTW_ESTIMATE is used. */
inline constexpr const char* subsonicFftWisdom = R"FFTW((fftw-3.3.10 fftw_wisdom #x458a31c8 #x92381c4c #x4f974889 #xcd46f97e
  (fftw_codelet_n1fv_8_avx 0 #x11bdd #x11bdd #x0 #x8f3bf623 #x721ebc21 #x66f18a50 #x143306f6)
  (fftw_dft_vrank_geq1_register 0 #x11bdd #x11bdd #x0 #xf465fc48 #x4abe7afa #x167bc276 #x3b17a17c)
  (fftw_codelet_r2cfII_8 2 #x11bdd #x11bdd #x0 #x9e3baa1e #xf322440b #xd09b1303 #x18fbbabf)
  (fftw_codelet_t2fv_64_avx 0 #x11bdd #x11bdd #x0 #xba13e8de #x21f326c9 #x29925869 #xd3f8ac13)
  (fftw_codelet_r2cf_8 2 #x11bdd #x11bdd #x0 #xf5e39dc8 #x4fb1cb4b #xd4a0b00e #x7a7661fa)
  (fftw_codelet_t3fv_4_avx 0 #x11bdd #x11bdd #x0 #x5316e63c #x7f51b871 #xd9f02ef2 #x0c1d6661)
  (fftw_codelet_hc2cfdftv_8_avx 0 #x11bdd #x11bdd #x0 #x05f054e7 #xb7f76325 #x60f16f37 #xf4ada139)
  (fftw_codelet_t2fv_4_avx 0 #x11bdd #x11bdd #x0 #xde75e2e1 #xf836f9a3 #x26e8f658 #x3a84138d)
  (fftw_dft_vrank_geq1_register 0 #x11bdd #x11bdd #x0 #xdbbd778b #xfb76e32e #xda3a4a7d #xc8050a74)
  (fftw_codelet_r2cf_8 2 #x11bdd #x11bdd #x0 #xb2884901 #x2b8fce5b #x640da76e #x397b3005)
  (fftw_codelet_n1fv_8_avx 0 #x11bdd #x11bdd #x0 #x984b0e05 #x303019ed #x77dd39b8 #xc3bb20cd)
  (fftw_codelet_t2fv_64_avx 0 #x11bdd #x11bdd #x0 #x735f4825 #xf8125090 #x286d0ac4 #x60c1f64c)
  (fftw_dft_vrank_geq1_register 0 #x11bdd #x11bdd #x0 #xe847af87 #x960d00cf #xf9d5f14d #x8bd896a2)
  (fftw_dft_vrank_geq1_register 0 #x11bdd #x11bdd #x0 #x19d6322d #x476420f9 #xfa4ec02f #x889a9ce2)
  (fftw_codelet_hc2cfdftv_8_avx 0 #x11bdd #x11bdd #x0 #x91b863d4 #xd07d5ef0 #xb0fbb8a2 #x3adaa993)
  (fftw_dft_vrank_geq1_register 0 #x11bdd #x11bdd #x0 #x2b623273 #xb8063042 #x8d774f73 #x751e7cae)
  (fftw_codelet_r2cf_8 2 #x11bdd #x11bdd #x0 #x99276aa0 #x9604e146 #x7a81f7d4 #x940a1cb0)
  (fftw_dft_vrank_geq1_register 0 #x11bdd #x11bdd #x0 #x015a602f #xaac01b9f #x5d558352 #x0a0aa22f)
  (fftw_codelet_r2cfII_8 2 #x11bdd #x11bdd #x0 #x18f4a7ef #xff6c4662 #xe872e460 #x9091be70)
  (fftw_codelet_n1fv_8_avx 0 #x11bdd #x11bdd #x0 #x5c1c10c9 #x83fa47de #xe3286e02 #x43234363)
  (fftw_codelet_t2fv_64_avx 0 #x11bdd #x11bdd #x0 #xc12f40ee #x726c0521 #xe543d4e4 #xe45f7025)
  (fftw_codelet_t3fv_8_avx 0 #x11bdd #x11bdd #x0 #x1a74b4c1 #xfc6aa47d #x7d472a25 #xa205d0df)
  (fftw_codelet_hc2cfdftv_8_avx 0 #x11bdd #x11bdd #x0 #x4d85e961 #x7a67eefd #xba4e0dba #x9f70fb37)
  (fftw_dft_vrank_geq1_register 0 #x11bdd #x11bdd #x0 #xbadad590 #x0fcb7c9b #x78d00116 #x346cc10b)
  (fftw_codelet_t1fv_4_avx 0 #x11bdd #x11bdd #x0 #x0b20be3b #xf3b1f484 #xea9e64f4 #x72ce6de3)
  (fftw_codelet_r2cfII_8 2 #x11bdd #x11bdd #x0 #x1c19986f #xbc5a5adb #xc2357911 #xea678ecc)
)
)FFTW";

} // namespace cuegrid::analysis
