; imagecx's Windows installer, built on Linux with NSIS (makensis):
;   makensis -DVERSION=1.2.3 -DSRC=dist/windows -DLICENSE=LICENSE -DOUT=dist/imagecx-1.2.3-setup.exe packaging/windows/imagecx.nsi
; A per-user install (no administrator rights): the programs in
; %LOCALAPPDATA%\Programs\imagecx, a Start-menu shortcut, optionally the
; tray app at login and "Upload to image.cx" in Explorer's menus, and an
; uninstaller that removes all of that and asks before it removes the
; settings, the history and the captures.
; /S installs or uninstalls silently (keeping the settings and captures).

; imagecx is a 64-bit program: so is its installer (Wine without its 32-bit
; half runs it too).
Target amd64-unicode
SetCompressor /SOLID lzma
RequestExecutionLevel user

!ifndef VERSION
  !error "VERSION is not defined: makensis -DVERSION=…"
!endif
!ifndef SRC
  !error "SRC (the folder with the .exe files) is not defined"
!endif
!ifndef LICENSE
  !error "LICENSE (the licence file shown before installing) is not defined"
!endif
!ifndef OUT
  !define OUT "imagecx-${VERSION}-setup.exe"
!endif

!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\imagecx"
!define RUN_KEY "Software\Microsoft\Windows\CurrentVersion\Run"
!define TYPES_KEY "Software\Classes\SystemFileAssociations"

Name "imagecx"
OutFile "${OUT}"
InstallDir "$LOCALAPPDATA\Programs\imagecx"
InstallDirRegKey HKCU "${UNINST_KEY}" "InstallLocation"
BrandingText "imagecx ${VERSION}"

!include "MUI2.nsh"
!include "LogicLib.nsh"

!define MUI_ABORTWARNING
!define MUI_COMPONENTSPAGE_NODESC
!define MUI_FINISHPAGE_RUN "$INSTDIR\imagecxw.exe"
!define MUI_FINISHPAGE_RUN_TEXT "Start imagecx now"
!insertmacro MUI_PAGE_LICENSE "${LICENSE}"
!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"

!ifndef NUMVERSION
  !define NUMVERSION "0.0.0"
!endif
VIProductVersion "${NUMVERSION}.0"
VIAddVersionKey "ProductName" "imagecx"
VIAddVersionKey "ProductVersion" "${VERSION}"
VIAddVersionKey "FileDescription" "imagecx installer"
VIAddVersionKey "FileVersion" "${VERSION}"
VIAddVersionKey "LegalCopyright" "The imagecx developers"

; The files the installer puts in $INSTDIR (and the uninstaller removes):
; the programs, imagecx's licence and those of what they embed.
!macro Programs do
  !insertmacro ${do} "imagecx.exe"
  !insertmacro ${do} "imagecxw.exe"
  !insertmacro ${do} "imagecx-settings.exe"
  !insertmacro ${do} "imagecx-history.exe"
  !insertmacro ${do} "imagecx-editor.exe"
  !insertmacro ${do} "LICENSE.txt"
  !insertmacro ${do} "THIRD_PARTY_NOTICES.txt"
!macroend
!macro InstallOne name
  File "${SRC}\${name}"
!macroend
!macro RemoveOne name
  Delete "$INSTDIR\${name}"
!macroend

; A running tray app holds its .exe: it is asked to quit first (as its
; menu's Quit; nothing it was uploading is lost). nsExec runs the console
; program without a console window.
!macro QuitRunning
  IfFileExists "$INSTDIR\imagecx.exe" 0 +3
    nsExec::Exec '"$INSTDIR\imagecx.exe" quit'
    Pop $0
!macroend

Section "imagecx" SecMain
  SectionIn RO
  !insertmacro QuitRunning
  SetOutPath "$INSTDIR"
  !insertmacro Programs InstallOne
  WriteUninstaller "$INSTDIR\uninstall.exe"
  CreateShortcut "$SMPROGRAMS\imagecx.lnk" "$INSTDIR\imagecxw.exe" "" "$INSTDIR\imagecxw.exe" 0 SW_SHOWNORMAL "" "Take a screenshot and upload it to image.cx"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayName" "imagecx"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINST_KEY}" "Publisher" "The imagecx developers"
  WriteRegStr HKCU "${UNINST_KEY}" "URLInfoAbout" "https://image.cx"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\imagecxw.exe"
  WriteRegStr HKCU "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINST_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoRepair" 1
SectionEnd

; Explorer's right-click menu on the types image.cx takes: "Upload to
; image.cx" (each selected file runs it once; the running tray app makes
; the files that come together one batch) and, on the images the editor
; opens, "Edit with imagecx"; and "image.cx" in Send To, which gives
; every selected file to one command. Per user, beside whatever program
; opens the type: nothing of the person's associations changes.
!macro UploadVerb ext
  WriteRegStr HKCU "${TYPES_KEY}\${ext}\shell\imagecx.upload" "" "Upload to image.cx"
  WriteRegStr HKCU "${TYPES_KEY}\${ext}\shell\imagecx.upload" "Icon" "$INSTDIR\imagecxw.exe"
  WriteRegStr HKCU "${TYPES_KEY}\${ext}\shell\imagecx.upload" "MultiSelectModel" "Player"
  WriteRegStr HKCU "${TYPES_KEY}\${ext}\shell\imagecx.upload\command" "" '"$INSTDIR\imagecxw.exe" open "%1"'
!macroend
!macro EditVerb ext
  WriteRegStr HKCU "${TYPES_KEY}\${ext}\shell\imagecx.edit" "" "Edit with imagecx"
  WriteRegStr HKCU "${TYPES_KEY}\${ext}\shell\imagecx.edit" "Icon" "$INSTDIR\imagecxw.exe"
  WriteRegStr HKCU "${TYPES_KEY}\${ext}\shell\imagecx.edit\command" "" '"$INSTDIR\imagecxw.exe" edit --notify "%1"'
!macroend
!macro RemoveVerbs ext
  DeleteRegKey HKCU "${TYPES_KEY}\${ext}\shell\imagecx.upload"
  DeleteRegKey HKCU "${TYPES_KEY}\${ext}\shell\imagecx.edit"
  DeleteRegKey /ifempty HKCU "${TYPES_KEY}\${ext}\shell"
  DeleteRegKey /ifempty HKCU "${TYPES_KEY}\${ext}"
!macroend
; The types: those the editor opens, the other images, the videos.
!macro Types do
  !insertmacro ${do} ".png" 1
  !insertmacro ${do} ".jpg" 1
  !insertmacro ${do} ".jpeg" 1
  !insertmacro ${do} ".gif" 1
  !insertmacro ${do} ".webp" 1
  !insertmacro ${do} ".bmp" 0
  !insertmacro ${do} ".avif" 0
  !insertmacro ${do} ".mp4" 0
  !insertmacro ${do} ".mov" 0
  !insertmacro ${do} ".webm" 0
!macroend
!macro AddVerbs ext editable
  !insertmacro UploadVerb "${ext}"
  !if ${editable} == 1
    !insertmacro EditVerb "${ext}"
  !endif
!macroend
!macro DropVerbs ext editable
  !insertmacro RemoveVerbs "${ext}"
!macroend

Section "Upload to image.cx in Explorer's menus" SecExplorer
  !insertmacro Types AddVerbs
  CreateShortcut "$SENDTO\image.cx.lnk" "$INSTDIR\imagecxw.exe" "open" "$INSTDIR\imagecxw.exe" 0 SW_SHOWNORMAL "" "Upload to image.cx"
SectionEnd

; The same value the settings window's "Start at login" writes.
Section "Start imagecx at login" SecAutostart
  WriteRegStr HKCU "${RUN_KEY}" "imagecx" '"$INSTDIR\imagecxw.exe"'
SectionEnd

Section "Uninstall"
  !insertmacro QuitRunning
  MessageBox MB_YESNO|MB_ICONQUESTION|MB_DEFBUTTON2 \
    "Also remove your imagecx settings, API key, history and saved captures?$\r$\n$\r$\nChoose No to keep them for a later install." \
    /SD IDNO IDNO keep
    ; The key is in the Credential Manager: the program itself removes it.
    nsExec::Exec '"$INSTDIR\imagecx.exe" key clear'
    Pop $0
    RMDir /r "$APPDATA\imagecx"
    RMDir /r "$LOCALAPPDATA\imagecx"
    RMDir /r "$PICTURES\imagecx"
  keep:
  ; What points at the programs goes first, the folder last: once it is
  ; gone, the uninstall is over.
  Delete "$SMPROGRAMS\imagecx.lnk"
  Delete "$SENDTO\image.cx.lnk"
  !insertmacro Types DropVerbs
  DeleteRegValue HKCU "${RUN_KEY}" "imagecx"
  DeleteRegKey HKCU "${UNINST_KEY}"
  !insertmacro Programs RemoveOne
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
SectionEnd
