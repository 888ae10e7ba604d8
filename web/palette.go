package web

import (
	"fmt"
	"image/color"

	"github.com/copsim/copsim/plots"
)

// palette is the page's colours, by what they mean, taken from the
// reports' (package plots), so that a role or a boundary has one colour in
// every figure copsim draws. Each colour means one thing on the page.
func palette() map[string]string {
	return map[string]string{
		"core":       hexColor(plots.RoleColor("core")),
		"active":     hexColor(plots.RoleColor("active")),
		"periphery":  hexColor(plots.RoleColor("peripheral")),
		"outsiders":  hexColor(plots.RoleColor("outsider")),
		"boundary":   hexColor(plots.BoundaryColor), // everything across a community boundary
		"all":        hexColor(plots.Black),         // the organization as a whole
		"repertoire": hexColor(plots.ReddishPurple), // the community's shared view
		"taking":     hexColor(plots.Orange),        // taking part
	}
}

func hexColor(c color.Color) string {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	return fmt.Sprintf("#%02x%02x%02x", n.R, n.G, n.B)
}
