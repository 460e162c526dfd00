// CueGrid — GPL-3.0-or-later
#pragma once

#include <string>

/** How SessionEditor's undo step names and refusals quote what they name (SessionEditor.cpp,
    SessionEditorGrid.cpp, SessionEditorPages.cpp): "Rename tab 'Atmos' to 'Ambience'". */
namespace cuegrid::editortext
{

inline std::string inQuotes (const std::string& text) { return "'" + text + "'"; }

} // namespace cuegrid::editortext
