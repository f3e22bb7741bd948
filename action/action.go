// Package action is imagecx's one vocabulary for what a person can ask it
// to do: each action has an ID (the config key under "hotkeys", the name
// in logs and on the GlobalShortcuts portal), the label of its menu item
// and settings row, a description, its default hotkey and the verb that
// the command line hands to the running tray app. The tray menu, the
// hotkeys, the settings window and the instance socket all speak it, so a
// new action is one entry in All.
package action

import (
	"runtime"
	"strings"

	"imagecx/i18n"
)

// ID names an action.
type ID string

// The actions.
const (
	FullScreen      ID = "full_screen"
	Region          ID = "region"
	RegionEdit      ID = "region_edit"
	FullEdit        ID = "full_edit"
	RepeatRegion    ID = "repeat_region"
	CopyText        ID = "copy_text"
	PinRegion       ID = "pin_region"
	RecordScreen    ID = "record_screen"
	RecordRegion    ID = "record_region"
	Record          ID = "record"
	UploadClipboard ID = "upload_clipboard"
	EditClipboard   ID = "edit_clipboard"
	UploadFiles     ID = "upload_files"
	UploadLink      ID = "upload_link"
	CopyLastLink    ID = "copy_last_link"
	OpenFolder      ID = "open_folder"
	OpenHistory     ID = "history"
	OpenSettings    ID = "settings"
)

// Section is the part of the tray menu an action's item is in.
type Section int

// The menu's sections, in order (the recent uploads sit between Upload
// and App).
const (
	Capture Section = iota
	Upload
	App
	// KeyOnly actions have a hotkey (and a settings row) but no menu
	// item: the menu names each choice itself.
	KeyOnly
)

// Action is one thing a person can ask imagecx to do.
type Action struct {
	ID          ID
	Section     Section
	Label       string // menu item and settings row: "Capture full screen" (a catalog key: Title says it)
	Description string // tooltip, and the desktop's list of shortcuts (a catalog key: Tip says it)
	Hotkey      string // the default hotkey; "" for none
	// Verb is what `imagecx capture …` hands to the running tray app over
	// the instance socket; "" when the command line has no such command.
	Verb string
}

// All lists the actions in menu order.
var All = []Action{
	{FullScreen, Capture, i18n.Mark("Capture full screen"), i18n.Mark("Capture every monitor and upload it"), "Ctrl+Shift+1", "capture full"},
	{Region, Capture, i18n.Mark("Capture region"), i18n.Mark("Drag a rectangle to capture and upload it"), "Ctrl+Shift+2", "capture region"},
	{RegionEdit, Capture, i18n.Mark("Capture region and edit…"), i18n.Mark("Drag a rectangle, mark it up or hide parts of it, then upload it"), "Ctrl+Shift+3", "capture region --edit"},
	{FullEdit, Capture, i18n.Mark("Capture full screen and edit…"), i18n.Mark("Capture every monitor, mark it up or hide parts of it, then upload it"), "", "capture full --edit"},
	{RepeatRegion, Capture, i18n.Mark("Repeat last region"), i18n.Mark("Capture the previous rectangle again and upload it"), "", "capture region --last"},
	{CopyText, Capture, i18n.Mark("Copy text from region"), i18n.Mark("Drag a rectangle and copy the text in it (OCR)"), "", "ocr"},
	{PinRegion, Capture, i18n.Mark("Pin region to screen"), i18n.Mark("Drag a rectangle and keep it on the screen above the other windows"), "", "pin"},
	{RecordScreen, Capture, i18n.Mark("Record screen…"), i18n.Mark("Record the screen to a video that fits 5 MB and upload it; press again to stop"), "", "record full"},
	{RecordRegion, Capture, i18n.Mark("Record region…"), i18n.Mark("Drag a rectangle, record it to a video and upload it; press again to stop"), "", "record region"},
	{Record, KeyOnly, i18n.Mark("Start or stop recording"), i18n.Mark("Record as you last did (the screen, or a region you drag), or stop the recording under way"), "Ctrl+Shift+5", ""},
	{UploadClipboard, Upload, i18n.Mark("Upload clipboard image"), i18n.Mark("Upload the image, or the image files, on the clipboard"), "", "upload clipboard"},
	{EditClipboard, Upload, i18n.Mark("Edit clipboard image…"), i18n.Mark("Mark up or hide parts of the image on the clipboard, then upload it"), "", "upload clipboard --edit"},
	{UploadFiles, Upload, i18n.Mark("Upload files…"), i18n.Mark("Choose images or videos and upload them together"), "", ""},
	{UploadLink, Upload, i18n.Mark("Upload image from link…"), i18n.Mark("Upload an image from its web address (the clipboard's link, if it holds one)"), "", ""},
	{CopyLastLink, Upload, i18n.Mark("Copy last link"), i18n.Mark("Put the last upload's link on the clipboard again"), "", ""},
	{OpenFolder, App, i18n.Mark("Open captures folder"), i18n.Mark("Open the folder where captures are saved"), "", ""},
	{OpenHistory, App, i18n.Mark("History…"), i18n.Mark("Every capture and upload: links, search, upload again, delete"), "", "history"},
	{OpenSettings, App, i18n.Mark("Settings…"), i18n.Mark("API key, hotkeys and upload options"), "", "settings"},
}

// On says whether the action is offered on the system goos (the menu
// and the settings leave out what cannot be done there): pins are not
// on macOS yet.
func (a Action) On(goos string) bool {
	return a.ID != PinRegion || goos != "darwin"
}

// InMenu says whether the action has an item in the tray menu (the
// KeyOnly ones have only a hotkey).
func (a Action) InMenu() bool { return a.Section != KeyOnly }

// Here is On for the running system.
func (a Action) Here() bool { return a.On(runtime.GOOS) }

// Title is the label in the person's language: "Capture region and edit…".
func (a Action) Title() string { return i18n.T(a.Label) }

// Name is the label without its "…" (a settings row, a sentence).
func (a Action) Name() string { return strings.TrimSuffix(a.Title(), "…") }

// Tip is the description in the person's language.
func (a Action) Tip() string { return i18n.T(a.Description) }

// Get is the action called id.
func Get(id ID) (Action, bool) {
	for _, a := range All {
		if a.ID == id {
			return a, true
		}
	}
	return Action{}, false
}

// ByVerb is the action the command line hands over as verb.
func ByVerb(verb string) (Action, bool) {
	for _, a := range All {
		if a.Verb != "" && a.Verb == verb {
			return a, true
		}
	}
	return Action{}, false
}

// Defaults are the default hotkeys by action, for the config.
func Defaults() map[ID]string {
	m := map[ID]string{}
	for _, a := range All {
		m[a.ID] = a.Hotkey
	}
	return m
}
