package httpapi

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/service"
)

// The caller's inbox and preferences, the administrator's outbox (service/notifications.go), and the cycle's
// campaign calendar (service/calendar.go).

// pageQuery reads page and page_size (both optional integers).
func pageQuery(c *gin.Context) (num, size int, err error) {
	var problems []domain.FieldError
	for name, dst := range map[string]*int{"page": &num, "page_size": &size} {
		if v := c.Query(name); v != "" {
			n, perr := strconv.Atoi(v)
			if perr != nil {
				problems = append(problems, domain.FieldError{Field: name, Code: "not_integer", Message: name + " must be an integer"})
				continue
			}
			*dst = n
		}
	}
	if len(problems) > 0 {
		return 0, 0, &domain.ValidationError{Code: "query_invalid", Problems: problems}
	}
	return num, size, nil
}

func (a *api) listNotifications(c *gin.Context) {
	num, size, err := pageQuery(c)
	unread := false
	if err == nil {
		switch c.Query("unread") {
		case "", "false":
		case "true":
			unread = true
		default:
			err = &domain.ValidationError{Code: "query_invalid", Problems: []domain.FieldError{{Field: "unread", Code: "not_boolean", Message: "unread must be true or false"}}}
		}
	}
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	p, err := a.Notifications.Inbox(c.Request.Context(), actorOf(c), unread, num, size)
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, p)
}

func (a *api) unreadNotifications(c *gin.Context) {
	n, err := a.Notifications.UnreadCount(c.Request.Context(), actorOf(c))
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"unread": n})
}

func (a *api) readNotification(c *gin.Context) {
	id, err := idParam(c, "id", "notification")
	if err == nil {
		err = a.Notifications.MarkRead(c.Request.Context(), actorOf(c), id)
	}
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func (a *api) readAllNotifications(c *gin.Context) {
	n, err := a.Notifications.MarkAllRead(c.Request.Context(), actorOf(c))
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"marked": n})
}

func (a *api) getNotificationPreferences(c *gin.Context) {
	p, err := a.Notifications.Preferences(c.Request.Context(), actorOf(c))
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, p)
}

func (a *api) putNotificationPreferences(c *gin.Context) {
	var in service.Preferences
	if err := decodeJSON(c, &in); err != nil {
		respondError(c, a.Log, err)
		return
	}
	p, err := a.Notifications.SetPreferences(c.Request.Context(), actorOf(c), in)
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, p)
}

func (a *api) listOutbox(c *gin.Context) {
	num, size, err := pageQuery(c)
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	v, err := a.Notifications.Outbox(c.Request.Context(), actorOf(c), c.Query("state"), num, size)
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, v)
}

func (a *api) resendMail(c *gin.Context) {
	id, err := idParam(c, "id", "mail")
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	m, err := a.Notifications.Resend(c.Request.Context(), actorOf(c), id)
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, m)
}

func (a *api) getCalendar(c *gin.Context) {
	v, err := a.Calendar.Get(c.Request.Context(), actorOf(c), c.Param("cycle"))
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, v)
}

func (a *api) putCalendar(c *gin.Context) {
	var in service.CalendarInput
	if err := decodeJSON(c, &in); err != nil {
		respondError(c, a.Log, err)
		return
	}
	v, err := a.Calendar.Set(c.Request.Context(), actorOf(c), c.Param("cycle"), in)
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, v)
}
