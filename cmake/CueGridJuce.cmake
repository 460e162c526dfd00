# JUCE 7.0.5 from Debian, compiled once into two static libraries:
#   cuegrid_juce_core: juce_core, juce_events, juce_data_structures, juce_audio_basics,
#                      juce_audio_devices (what the core library, the CLI and the tests need;
#                      no GUI: juce_data_structures, for the session editor's UndoManager,
#                      depends on juce_events only)
#   cuegrid_juce_gui:  the GUI modules on top, for the app only.
# Both re-export JUCE's include directories and definitions on their INTERFACE.
find_package(JUCE 7.0.5 CONFIG REQUIRED)

set(CUEGRID_JUCE_DEFINITIONS
    JUCE_STANDALONE_APPLICATION=1 JUCE_USE_CURL=0 JUCE_WEB_BROWSER=0 JUCE_JACK=1 JUCE_ALSA=1
    JUCE_DISPLAY_SPLASH_SCREEN=0 JUCE_REPORT_APP_USAGE=0 JUCE_MODAL_LOOPS_PERMITTED=0
    JUCE_JACK_CLIENT_NAME="cuegrid" JUCE_GLOBAL_MODULE_SETTINGS_INCLUDED=1
    JUCE_PLUGINHOST_VST3=0 JUCE_PLUGINHOST_LV2=0 JUCE_PLUGINHOST_LADSPA=0 JUCE_PLUGINHOST_ARA=0
    JUCE_USE_XRANDR=1 JUCE_USE_XINERAMA=1)

add_library(cuegrid_juce_core STATIC)
target_link_libraries(cuegrid_juce_core PRIVATE
    juce::juce_core juce::juce_events juce::juce_data_structures juce::juce_audio_basics juce::juce_audio_devices)
target_compile_definitions(cuegrid_juce_core PUBLIC ${CUEGRID_JUCE_DEFINITIONS})
target_include_directories(cuegrid_juce_core SYSTEM INTERFACE
    $<TARGET_PROPERTY:cuegrid_juce_core,INCLUDE_DIRECTORIES>)
target_compile_definitions(cuegrid_juce_core INTERFACE
    $<TARGET_PROPERTY:cuegrid_juce_core,COMPILE_DEFINITIONS>)
target_link_libraries(cuegrid_juce_core PUBLIC PkgConfig::ALSA Threads::Threads ${CMAKE_DL_LIBS} rt)
# GCC 12 warns inside JUCE's own sources (-Wdangling-pointer): not ours to fix.
target_compile_options(cuegrid_juce_core PRIVATE -w)

set(CUEGRID_JUCE_GUI_MODULES
    juce_graphics juce_gui_basics juce_gui_extra
    juce_audio_formats juce_audio_processors juce_audio_utils)
add_library(cuegrid_juce_gui STATIC)
foreach(module IN LISTS CUEGRID_JUCE_GUI_MODULES)
  target_sources(cuegrid_juce_gui PRIVATE ${JUCE_MODULES_DIR}/${module}/${module}.cpp)
endforeach()
set(_all_modules juce_core juce_events juce_data_structures juce_audio_basics juce_audio_devices ${CUEGRID_JUCE_GUI_MODULES})
foreach(module IN LISTS _all_modules)
  target_compile_definitions(cuegrid_juce_gui PUBLIC JUCE_MODULE_AVAILABLE_${module}=1)
endforeach()
target_include_directories(cuegrid_juce_gui SYSTEM PUBLIC ${JUCE_MODULES_DIR})
target_link_libraries(cuegrid_juce_gui PUBLIC cuegrid_juce_core
    PkgConfig::FREETYPE PkgConfig::FONTCONFIG PkgConfig::JUCE_CODECS)
target_compile_options(cuegrid_juce_gui PRIVATE -w)
