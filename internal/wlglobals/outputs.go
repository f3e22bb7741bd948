package wlglobals

import (
	"context"
	"errors"
	"image"
)

// Output is a monitor of the compositor: its name, its place and size in
// the desktop's layout (logical pixels), and its own pixels (the current
// mode: more than its logical size where it is scaled).
type Output struct {
	Name    string
	Logical image.Rectangle
	Pixels  image.Point
}

// Outputs returns the compositor's outputs, through xdg-output (which
// wlroots desktops, KWin and GNOME offer).
func Outputs(ctx context.Context, socket string) ([]Output, error) {
	c, err := Dial(ctx, socket)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	globals, err := c.Globals(ctx)
	if err != nil {
		return nil, err
	}
	managers := globals["zxdg_output_manager_v1"]
	if len(managers) == 0 {
		return nil, errors.New("the Wayland compositor does not say where its outputs are (no xdg-output)")
	}
	manager, err := c.Bind(managers[0].Name, "zxdg_output_manager_v1", min(managers[0].Version, 2))
	if err != nil {
		return nil, err
	}
	outs := make([]Output, len(globals["wl_output"]))
	byOutput := map[uint32]int{} // wl_output id → index
	byXDG := map[uint32]int{}    // zxdg_output_v1 id → index
	for i, g := range globals["wl_output"] {
		id, err := c.Bind(g.Name, "wl_output", min(g.Version, 2))
		if err != nil {
			return nil, err
		}
		xdg := c.NewID()
		if err := c.Send(manager, 1, xdg, id); err != nil { // get_xdg_output
			return nil, err
		}
		byOutput[id], byXDG[xdg] = i, i
	}
	err = c.Roundtrip(ctx, func(obj, op uint32, body []byte) {
		if i, ok := byOutput[obj]; ok && op == 1 && len(body) >= 16 && Uint(body, 0)&1 != 0 { // mode: flags (1: current), width, height
			outs[i].Pixels = image.Pt(int(int32(Uint(body, 4))), int(int32(Uint(body, 8))))
		}
		i, ok := byXDG[obj]
		if !ok {
			return
		}
		switch {
		case op == 0 && len(body) >= 8: // logical_position
			at := image.Pt(int(int32(Uint(body, 0))), int(int32(Uint(body, 4))))
			outs[i].Logical = outs[i].Logical.Add(at.Sub(outs[i].Logical.Min))
		case op == 1 && len(body) >= 8: // logical_size
			outs[i].Logical.Max = outs[i].Logical.Min.Add(image.Pt(int(int32(Uint(body, 0))), int(int32(Uint(body, 4)))))
		case op == 3: // name
			outs[i].Name, _, _ = Str(body)
		}
	})
	return outs, err
}
